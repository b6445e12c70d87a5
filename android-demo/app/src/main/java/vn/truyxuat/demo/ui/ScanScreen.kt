package vn.truyxuat.demo.ui

import android.Manifest
import android.content.pm.PackageManager
import android.util.Size
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.camera.core.CameraSelector
import androidx.camera.core.ImageAnalysis
import androidx.camera.core.ImageProxy
import androidx.camera.core.Preview
import androidx.camera.core.resolutionselector.ResolutionSelector
import androidx.camera.core.resolutionselector.ResolutionStrategy
import androidx.camera.lifecycle.ProcessCameraProvider
import androidx.camera.view.PreviewView
import androidx.compose.foundation.background
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.rememberUpdatedState
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.compose.ui.viewinterop.AndroidView
import androidx.core.content.ContextCompat
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import java.util.concurrent.Executors
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import vn.truyxuat.core.Symbol
import vn.truyxuat.demo.MainViewModel
import vn.truyxuat.demo.R
import vn.truyxuat.demo.logic.Lang
import vn.truyxuat.demo.logic.ResultCard
import vn.truyxuat.demo.logic.ScanFlow
import vn.truyxuat.demo.logic.ScanState

/** The consumer's screen: camera on top, the answer for the last code below. */
@Composable
fun ScanScreen(vm: MainViewModel, lang: Lang, onComplain: (String) -> Unit) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val state by vm.scan.state.collectAsStateWithLifecycle()
    var hasCamera by remember {
        mutableStateOf(ContextCompat.checkSelfPermission(context, Manifest.permission.CAMERA) == PackageManager.PERMISSION_GRANTED)
    }
    val askCamera = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { hasCamera = it }
    val pickPhoto = rememberLauncherForActivityResult(ActivityResultContracts.GetContent()) { uri ->
        if (uri != null) {
            scope.launch {
                val bytes = withContext(Dispatchers.IO) {
                    context.contentResolver.openInputStream(uri)?.use { it.readBytes() }
                }
                if (bytes != null) {
                    vm.scan.lookUpImage(bytes)
                    vm.recorded()
                }
            }
        }
    }

    Column(Modifier.fillMaxSize()) {
        Box(Modifier.fillMaxWidth().weight(1f)) {
            if (hasCamera) {
                CameraView(vm.scan, onHit = { symbol ->
                    scope.launch {
                        vm.scan.lookUp(symbol)
                        vm.recorded()
                    }
                }, modifier = Modifier.fillMaxSize())
            } else {
                Column(
                    Modifier.fillMaxSize().padding(24.dp),
                    verticalArrangement = Arrangement.Center,
                    horizontalAlignment = Alignment.CenterHorizontally,
                ) {
                    Text(stringResource(R.string.camera_needed))
                    Button(onClick = { askCamera.launch(Manifest.permission.CAMERA) }) { Text(stringResource(R.string.camera_allow)) }
                }
            }
        }
        Column(
            Modifier.fillMaxWidth().heightIn(max = 420.dp).verticalScroll(rememberScrollState()).padding(12.dp),
            verticalArrangement = Arrangement.spacedBy(8.dp),
        ) {
            when (val s = state) {
                is ScanState.Idle -> Text(stringResource(R.string.scan_hint))
                is ScanState.LookingUp -> {
                    Text(stringResource(R.string.looking_up, s.code))
                    LinearProgressIndicator(Modifier.fillMaxWidth())
                }
                is ScanState.Shown -> {
                    ResultCardView(s.card, lang, onAgain = vm.scan::dismiss, onComplain = { onComplain(s.card.code) })
                    s.notRecorded?.let { NoteView(Note(it, isError = true), lang) }
                }
                is ScanState.Failed -> NoteView(Note(s.message, isError = true), lang)
            }
            OutlinedButton(onClick = { pickPhoto.launch("image/*") }, modifier = Modifier.fillMaxWidth()) {
                Text(stringResource(R.string.scan_from_photo))
            }
        }
    }
}

@Composable
private fun ResultCardView(card: ResultCard, lang: Lang, onAgain: () -> Unit, onComplain: () -> Unit) {
    val tone = Tones.of(card.verdict)
    Card(Modifier.fillMaxWidth()) {
        Text(
            card.verdictText().text(lang),
            color = tone.text,
            fontWeight = FontWeight.Bold,
            modifier = Modifier.fillMaxWidth().background(tone.background).padding(12.dp),
        )
        Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            Text(card.title(lang), style = MaterialTheme.typography.titleMedium)
            card.brand?.let { Text(it) }
            card.company?.let { company ->
                Text(listOfNotNull(company, card.companyProvince?.text(lang)).joinToString(" · "))
            }
            card.lot?.let { Text(stringResource(R.string.lot_label, it)) }
            card.expiry?.let { Text(stringResource(R.string.expiry_label, it)) }
            if (card.journeySteps > 0u) Text(stringResource(R.string.journey_steps, card.journeySteps.toInt()))
            Badge(card.sourceLine.text(lang), if (card.isOffline) Tones.caution else Tones.neutral)
            card.warnings.forEach { w ->
                val t = Tones.of(w.severity)
                Text(
                    w.text.text(lang),
                    color = t.text,
                    modifier = Modifier.fillMaxWidth().background(t.background).padding(8.dp),
                )
            }
            Row {
                TextButton(onClick = onAgain) { Text(stringResource(R.string.scan_again)) }
                TextButton(onClick = onComplain) { Text(stringResource(R.string.report_problem)) }
            }
        }
    }
}

/** The camera preview, and every frame's Y plane to [ScanFlow.onFrame] on a background thread. */
@Composable
private fun CameraView(flow: ScanFlow, onHit: (Symbol) -> Unit, modifier: Modifier) {
    val context = LocalContext.current
    val owner = LocalLifecycleOwner.current
    val currentOnHit by rememberUpdatedState(onHit)
    var failed by remember { mutableStateOf(false) }
    val previewView = remember {
        PreviewView(context).apply { implementationMode = PreviewView.ImplementationMode.COMPATIBLE }
    }

    DisposableEffect(owner) {
        val analysisThread = Executors.newSingleThreadExecutor()
        val main = ContextCompat.getMainExecutor(context)
        val future = ProcessCameraProvider.getInstance(context)
        var disposed = false
        future.addListener({
            if (disposed) return@addListener
            try {
                val provider = future.get()
                val preview = Preview.Builder().build()
                preview.setSurfaceProvider(previewView.surfaceProvider)
                val analysis = ImageAnalysis.Builder()
                    // A cheap phone decodes slower than the camera delivers: drop, do not queue.
                    .setBackpressureStrategy(ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST)
                    .setResolutionSelector(
                        ResolutionSelector.Builder()
                            .setResolutionStrategy(
                                ResolutionStrategy(Size(1280, 720), ResolutionStrategy.FALLBACK_RULE_CLOSEST_LOWER_THEN_HIGHER),
                            )
                            .build(),
                    )
                    .build()
                analysis.setAnalyzer(analysisThread, LumaAnalyzer(flow) { symbol -> main.execute { currentOnHit(symbol) } })
                provider.unbindAll()
                provider.bindToLifecycle(owner, CameraSelector.DEFAULT_BACK_CAMERA, preview, analysis)
            } catch (e: Exception) {
                failed = true
            }
        }, main)
        onDispose {
            disposed = true
            if (future.isDone) runCatching { future.get().unbindAll() }
            analysisThread.shutdown()
        }
    }

    if (failed) {
        Box(modifier, contentAlignment = Alignment.Center) { Text(stringResource(R.string.camera_failed)) }
    } else {
        AndroidView(factory = { previewView }, modifier = modifier)
    }
}

/**
 * Decodes each frame's luma (Y) plane where CameraX keeps it (no copy), then
 * lets the camera have the frame back: decoding must finish before `close()`.
 */
private class LumaAnalyzer(private val flow: ScanFlow, private val onHit: (Symbol) -> Unit) : ImageAnalysis.Analyzer {
    override fun analyze(image: ImageProxy) {
        val hit = image.use {
            val plane = it.planes[0]
            val buffer = plane.buffer
            buffer.rewind()
            flow.onFrame(buffer, it.width.toUInt(), it.height.toUInt(), plane.rowStride.toUInt(), it.imageInfo.rotationDegrees)
        }
        hit?.let(onHit)
    }
}
