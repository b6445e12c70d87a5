// The portal's CSV import: the chosen file goes into the text box (the
// form itself posts text).
document.getElementById('file').addEventListener('change', function (e) {
  var f = e.target.files[0];
  if (f) { f.text().then(function (t) { document.getElementById('csv').value = t; }); }
});
