//! EAN-13, UPC-A, EAN-8 and UPC-E (with 2- and 5-digit add-ons), read the way
//! a checkout scanner reads them rather than the way rxing does.
//!
//! rxing thresholds each row against one grey level and matches run lengths.
//! A photo taken too close, out of focus, or with a shadow across the symbol
//! loses its one-module spaces to that threshold; rxing 0.9.3 read 113 of
//! the 179 EAN/UPC sample images, this reader 144 (zxing-cpp 3.1.1: 114).
//! For each scan line it:
//!
//! 1. weighs three neighbouring lines 1-2-1 into a profile and finds its light and dark
//!    extremes with hysteresis, at several steps of the line's contrast:
//!    a small step keeps the faint one-module spaces of a blurred symbol,
//!    a large one ignores print noise in a sharp one;
//! 2. places the edges two ways: where the profile crosses halfway between
//!    neighbouring extremes, and from each bar's ink (a blurred bar keeps
//!    its area and centre), which measures thin bars in soft photos better;
//! 3. decodes each digit from the sums of neighbouring widths (edge to
//!    similar edge), which do not change when ink spreads or blur widens
//!    bars at the expense of spaces, plus the bars' total width, which
//!    alone tells 1 from 7 and 2 from 8;
//! 4. checks guards, quiet zones (or the image's edge for a tight crop),
//!    parity and the check digit.
//!
//! A symbol is accepted only when at least two scan lines read it the same;
//! a weaker reading at the same place is taken for a misread and dropped.
//! Lines run across the rows in both directions, then, if nothing was
//! found, across the columns, so a symbol upside down or turned a quarter
//! is read as well; `decode_diagonal` adds the two diagonals for a symbol
//! at an angle (the thorough mode's later stage).
//!
//! The digit patterns and parity tables are facts of ISO/IEC 15420.

use std::collections::HashMap;

use super::{Format, Luma, Point};

/// Module widths of the L-set digit patterns 0-9 (space, bar, space, bar).
/// The G set is each pattern reversed; the R set has the L widths, bar first.
const L: [[u8; 4]; 10] = [
    [3, 2, 1, 1],
    [2, 2, 2, 1],
    [2, 1, 2, 2],
    [1, 4, 1, 1],
    [1, 1, 3, 2],
    [1, 2, 3, 1],
    [1, 1, 1, 4],
    [1, 3, 1, 2],
    [1, 2, 1, 3],
    [3, 1, 1, 2],
];

/// EAN-13: the leading digit from the parity of the six left digits
/// (bit 5 - i set when digit i is in the G set).
const FIRST_DIGIT_PARITY: [u8; 10] = [0x00, 0x0B, 0x0D, 0x0E, 0x13, 0x19, 0x1C, 0x15, 0x16, 0x1A];

/// UPC-E: number system 0 and the check digit from the parity of its six
/// digits (bit 5 - i set when digit i is in the G set); number system 1 is
/// the complement.
const UPCE_PARITY: [u8; 10] = [0x38, 0x34, 0x32, 0x31, 0x2C, 0x26, 0x23, 0x2A, 0x29, 0x25];

/// Five-digit add-on: the check value from the parity (bit 4 - i set when
/// digit i is in the G set).
const ADDON5_PARITY: [u8; 10] = [0x18, 0x14, 0x12, 0x11, 0x0C, 0x06, 0x03, 0x0A, 0x09, 0x05];

// The figures below were tuned on the shared sample images with
// `scripts/bench-decode.sh` (rows: the lines read, the steps, the digit fit).

/// Weight of the bars' total width against the edge-to-similar-edge sums
/// (it alone tells 1 from 7 and 2 from 8).
const W_BARS: f32 = 0.3;
/// A digit is read when its pattern fits within this error, better than
/// any other digit by this margin.
const DIGIT_LIMIT: f32 = 0.8;
const DIGIT_MARGIN: f32 = 0.1;
/// Scan lines per direction.
const LINES: usize = 80;
/// Hysteresis steps as fractions of a line's contrast: small ones keep the
/// thin spaces of a blurred symbol, large ones ignore print noise in a sharp one.
const STEPS: [f32; 3] = [0.03, 0.08, 0.2];

/// One read of one scan line.
#[derive(Clone, Debug)]
struct Read {
    format: Format,
    text: String,
    addon: Option<String>,
    /// Ends of the symbol (without add-on) in image coordinates.
    from: Point,
    to: Point,
}

/// A scan line: a run of elements (alternating light and dark) with widths.
struct Line {
    widths: Vec<f32>,
    /// Position of each element's start along the line.
    starts: Vec<f32>,
    /// Whether element 0 is dark.
    first_dark: bool,
}

impl Line {
    /// Elements between edges; element 0 runs from the line's start to the
    /// first edge. Edges out of order (two bars whose ink overlaps) leave a
    /// sliver of an element between them.
    fn from_edges(edges: &[f32], len: f32, first_dark: bool) -> Line {
        let mut starts = Vec::with_capacity(edges.len() + 1);
        let mut widths = Vec::with_capacity(edges.len() + 1);
        let mut prev = 0.0;
        for &e in edges {
            let e = e.max(prev + 0.01);
            starts.push(prev);
            widths.push(e - prev);
            prev = e;
        }
        starts.push(prev);
        widths.push((len - prev).max(0.01));
        Line { widths, starts, first_dark }
    }

    fn is_dark(&self, i: usize) -> bool {
        i.is_multiple_of(2) == self.first_dark
    }

    fn reversed(&self, len: f32) -> Line {
        let n = self.widths.len();
        let widths: Vec<f32> = self.widths.iter().rev().copied().collect();
        let starts = (0..n).map(|i| len - (self.starts[n - 1 - i] + self.widths[n - 1 - i])).collect();
        Line { widths, starts, first_dark: self.is_dark(n.saturating_sub(1)) }
    }
}

/// Light and dark extremes of a sequence of (position, level), each standing
/// out from the previous one by more than `t`: (position, is_light).
fn extremes(points: impl Iterator<Item = (usize, f32)>, t: f32) -> Vec<(usize, bool)> {
    let mut ext = Vec::new();
    let (mut min, mut max) = ((0, f32::MAX), (0, f32::MIN));
    // 0: undecided, 1: looking for a light extreme, -1: for a dark one.
    let mut dir = 0i8;
    let mut cur = (0, 0.0);
    for (i, v) in points {
        match dir {
            0 => {
                if v < min.1 {
                    min = (i, v);
                }
                if v > max.1 {
                    max = (i, v);
                }
                if max.1 - v > t {
                    ext.push((max.0, true));
                    (dir, cur) = (-1, (i, v));
                } else if v - min.1 > t {
                    ext.push((min.0, false));
                    (dir, cur) = (1, (i, v));
                }
            }
            1 if v >= cur.1 => cur = (i, v),
            1 if cur.1 - v > t => {
                ext.push((cur.0, true));
                (dir, cur) = (-1, (i, v));
            }
            -1 if v <= cur.1 => cur = (i, v),
            -1 if v - cur.1 > t => {
                ext.push((cur.0, false));
                (dir, cur) = (1, (i, v));
            }
            _ => {}
        }
    }
    if dir != 0 {
        ext.push((cur.0, dir == 1));
    }
    ext
}

/// The element runs of one scan line, for every hysteresis step and both
/// ways of placing edges.
fn elements(p: &[f32], out: &mut Vec<Line>) {
    let (lo, hi) = p.iter().fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let range = hi - lo;
    if range < 20.0 {
        return;
    }
    let mut ext = Vec::new();
    for (k, step) in STEPS.into_iter().enumerate() {
        let t = (range * step).max(4.0);
        // A larger step only removes extremes: prune the previous ones.
        ext = if k == 0 {
            extremes(p.iter().copied().enumerate(), t)
        } else {
            extremes(ext.iter().map(|&(i, _)| (i, p[i])), t)
        };
        if ext.len() < 30 {
            // Too few elements for any EAN/UPC symbol; larger steps have fewer.
            return;
        }
        out.push(midpoint_line(p, &ext));
        out.extend(mass_line(p, &ext));
    }
}

/// Edges where the level crosses halfway between neighbouring extremes.
fn midpoint_line(p: &[f32], ext: &[(usize, bool)]) -> Line {
    let mut edges = Vec::with_capacity(ext.len());
    for pair in ext.windows(2) {
        let ((a, _), (b, _)) = (pair[0], pair[1]);
        let mid = (p[a] + p[b]) / 2.0;
        let mut pos = (a + b) as f32 / 2.0;
        for i in a..b {
            let (u, v) = (p[i] - mid, p[i + 1] - mid);
            if u == 0.0 {
                pos = i as f32;
                break;
            }
            if (u < 0.0) != (v < 0.0) {
                pos = i as f32 + u / (u - v);
                break;
            }
        }
        edges.push(pos);
    }
    Line::from_edges(&edges, p.len() as f32, !ext[0].1)
}

/// Edges from the bars' ink: a blurred bar keeps its area and centre, so
/// its width is the darkness it adds below the local white level, divided
/// by the local contrast.
fn mass_line(p: &[f32], ext: &[(usize, bool)]) -> Option<Line> {
    let n = ext.len();
    let mut edges = Vec::with_capacity(n + 2);
    let first_dark = !ext[0].1;
    for j in 0..n {
        if ext[j].1 {
            continue;
        }
        let (lo, hi) = (j.saturating_sub(6), (j + 7).min(n));
        let mut white = f32::MIN;
        let mut black = f32::MAX;
        for &(i, is_max) in &ext[lo..hi] {
            if is_max { white = white.max(p[i]) } else { black = black.min(p[i]) }
        }
        if white == f32::MIN {
            return None;
        }
        let contrast = white - black;
        if contrast < 10.0 {
            return None;
        }
        let l = if j > 0 { ext[j - 1].0 } else { 0 };
        let r = if j + 1 < n { ext[j + 1].0 } else { p.len() - 1 };
        let (mut mass, mut moment) = (0.0f32, 0.0f32);
        for (x, &v) in p.iter().enumerate().take(r + 1).skip(l) {
            let mut m = (white - v).clamp(0.0, contrast);
            if (x == l && j > 0) || (x == r && j + 1 < n) {
                m *= 0.5;
            }
            mass += m;
            moment += m * x as f32;
        }
        if mass <= 0.0 {
            return None;
        }
        let c = moment / mass + 0.5;
        let b = mass / contrast;
        if j > 0 {
            edges.push(c - b / 2.0);
        }
        if j + 1 < n {
            edges.push(c + b / 2.0);
        }
    }
    Some(Line::from_edges(&edges, p.len() as f32, first_dark))
}

/// The digit four element widths encode, from the L set (and the G set when
/// allowed): (digit, is in the G set). R digits have the L widths.
fn digit(w: &[f32], g_allowed: bool) -> Option<(u8, bool)> {
    let total: f32 = w.iter().sum();
    let x: [f32; 4] = std::array::from_fn(|i| w[i] * 7.0 / total);
    let mut best = (f32::MAX, 0u8, false);
    let mut second = f32::MAX;
    for (d, pat) in L.iter().enumerate() {
        for g in [false, true] {
            if g && !g_allowed {
                continue;
            }
            let a: [f32; 4] = std::array::from_fn(|i| if g { pat[3 - i] } else { pat[i] } as f32);
            let mut err = 0.0;
            for i in 0..3 {
                err += ((x[i] + x[i + 1]) - (a[i] + a[i + 1])).powi(2);
            }
            err += W_BARS * ((x[1] + x[3]) - (a[1] + a[3])).powi(2);
            if err < best.0 {
                second = best.0;
                best = (err, d as u8, g);
            } else if err < second {
                second = err;
            }
        }
    }
    (best.0 < DIGIT_LIMIT && second - best.0 > DIGIT_MARGIN).then_some((best.1, best.2))
}

/// Do `n` elements from `at` look like guard modules of about `module` each?
fn guard(line: &Line, at: usize, n: usize, module: f32) -> bool {
    if at + n > line.widths.len() {
        return false;
    }
    let total: f32 = line.widths[at..at + n].iter().sum();
    let m = total / n as f32;
    if !(0.6 * module..=1.6 * module).contains(&m) {
        return false;
    }
    line.widths[at..at + n].iter().all(|&w| w < 1.8 * module.max(m) && w > 0.3 * m)
}

/// A light element of at least `modules` modules, or a light element that
/// runs to the edge of the image (a tight crop).
fn quiet(line: &Line, at: usize, module: f32, modules: f32) -> bool {
    let n = line.widths.len();
    at < n && !line.is_dark(at) && (line.widths[at] >= modules * module || at == 0 || at == n - 1)
}

/// A light element of at least `modules` modules, whether or not it runs to
/// the image's edge: where a symbol cut by the edge could pass for another
/// (an EAN-13 cut after its middle guard looks like a UPC-E), or after an
/// add-on.
fn quiet_strict(line: &Line, at: usize, module: f32, modules: f32) -> bool {
    at < line.widths.len() && !line.is_dark(at) && line.widths[at] >= modules * module
}

/// Digits of one half: `count` digits of four elements from `at`.
/// Returns the digits, the G-parity bits (bit count-1-i) and the mean module.
fn half(line: &Line, at: usize, count: usize, module: f32, g_allowed: bool) -> Option<(Vec<u8>, u8, f32)> {
    let mut digits = Vec::with_capacity(count);
    let mut parity = 0u8;
    let mut m = module;
    let mut sum = 0.0;
    for i in 0..count {
        let w = line.widths.get(at + 4 * i..at + 4 * i + 4)?;
        let total: f32 = w.iter().sum();
        let dm = total / 7.0;
        if !(0.7 * m..=1.4 * m).contains(&dm) {
            return None;
        }
        let (d, g) = digit(w, g_allowed)?;
        digits.push(d);
        if g {
            parity |= 1 << (count - 1 - i);
        }
        m = dm;
        sum += dm;
    }
    Some((digits, parity, sum / count as f32))
}

fn check_digit_ok(digits: &[u8]) -> bool {
    let n = digits.len();
    let sum: u32 = digits[..n - 1]
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| if i % 2 == 0 { 3 * d as u32 } else { d as u32 })
        .sum();
    (10 - sum % 10) % 10 == digits[n - 1] as u32
}

fn text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// Try every symbol that starts with the dark element `s`.
fn read_at(line: &Line, s: usize) -> Option<(Format, String, usize)> {
    if s == 0 || !line.is_dark(s) || s + 33 > line.widths.len() {
        return None;
    }
    let module = line.widths[s..s + 3].iter().sum::<f32>() / 3.0;
    if !guard(line, s, 3, module) || !quiet(line, s - 1, module, 3.0) {
        return None;
    }
    let (left, parity, m) = half(line, s + 3, 6, module, true)?;
    // EAN-13 / UPC-A: middle guard, six R digits, end guard.
    if guard(line, s + 27, 5, m)
        && let Some((right, 0, m2)) = half(line, s + 32, 6, m, false)
        && guard(line, s + 56, 3, m2)
        && quiet(line, s + 59, m2, 3.0)
        && let Some(first) = FIRST_DIGIT_PARITY.iter().position(|&p| p == parity)
    {
        let mut digits = vec![first as u8];
        digits.extend(&left);
        digits.extend(&right);
        if check_digit_ok(&digits) {
            // A leading 0 makes it a UPC-A symbol (12 digits).
            return Some(if first == 0 {
                (Format::UpcA, text(&digits[1..]), s + 59)
            } else {
                (Format::Ean13, text(&digits), s + 59)
            });
        }
    }
    // UPC-E: six digits, then a six-element end guard.
    if guard(line, s + 27, 6, m) && quiet_strict(line, s + 33, m, 5.0) {
        let (sys, check) = if let Some(c) = UPCE_PARITY.iter().position(|&p| p == parity) {
            (0, c)
        } else if let Some(c) = UPCE_PARITY.iter().position(|&p| p ^ 0x3F == parity) {
            (1, c)
        } else {
            return None;
        };
        let mut digits = vec![sys];
        digits.extend(&left);
        digits.push(check as u8);
        let upce = text(&digits);
        let upca = crate::gs1::upce_to_upca(&upce)?;
        let a: Vec<u8> = upca.bytes().map(|b| b - b'0').collect();
        if check_digit_ok(&a) {
            return Some((Format::UpcE, upce, s + 33));
        }
    }
    None
}

/// EAN-8 is four L digits each side.
fn read_ean8_at(line: &Line, s: usize) -> Option<(Format, String, usize)> {
    if s == 0 || !line.is_dark(s) || s + 43 > line.widths.len() {
        return None;
    }
    let module = line.widths[s..s + 3].iter().sum::<f32>() / 3.0;
    if !guard(line, s, 3, module) || !quiet(line, s - 1, module, 3.0) {
        return None;
    }
    let (left, 0, m) = half(line, s + 3, 4, module, false)? else { return None };
    if !guard(line, s + 19, 5, m) {
        return None;
    }
    let (right, 0, m2) = half(line, s + 24, 4, m, false)? else { return None };
    if !guard(line, s + 40, 3, m2) || !quiet(line, s + 43, m2, 3.0) {
        return None;
    }
    let mut digits = left;
    digits.extend(&right);
    check_digit_ok(&digits).then(|| (Format::Ean8, text(&digits), s + 43))
}

/// A 2- or 5-digit add-on after the main symbol's quiet zone (element `gap`).
fn addon(line: &Line, gap: usize, module: f32) -> Option<String> {
    let g = *line.widths.get(gap)?;
    if line.is_dark(gap) || g > 14.0 * module {
        return None;
    }
    let s = gap + 1;
    // Add-on start: bar 1, space 1, bar 2.
    let w = line.widths.get(s..s + 3)?;
    let m = w.iter().sum::<f32>() / 4.0;
    if !(0.6 * module..=1.6 * module).contains(&m) || w[2] < w[0] * 1.3 {
        return None;
    }
    for count in [5usize, 2] {
        let mut digits = Vec::new();
        let mut parity = 0u8;
        let mut at = s + 3;
        let mut ok = true;
        for i in 0..count {
            let Some(w) = line.widths.get(at..at + 4) else {
                ok = false;
                break;
            };
            let dm = w.iter().sum::<f32>() / 7.0;
            let Some((d, gset)) = (0.6 * m..=1.6 * m).contains(&dm).then(|| digit(w, true)).flatten() else {
                ok = false;
                break;
            };
            digits.push(d);
            if gset {
                parity |= 1 << (count - 1 - i);
            }
            at += 4;
            if i + 1 < count {
                // Delimiter: space 1, bar 1.
                match line.widths.get(at..at + 2) {
                    Some(d) if d.iter().sum::<f32>() < 3.5 * dm => at += 2,
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
        }
        if !ok || !quiet_strict(line, at, m, 3.0) {
            continue;
        }
        let valid = if count == 5 {
            let sum = 3 * (digits[0] + digits[2] + digits[4]) as u32 + 9 * (digits[1] + digits[3]) as u32;
            ADDON5_PARITY[(sum % 10) as usize] == parity
        } else {
            (digits[0] as u32 * 10 + digits[1] as u32) % 4 == parity as u32
        };
        if valid {
            return Some(text(&digits));
        }
    }
    None
}

/// Every symbol on one run of elements, with its ends along the line.
fn read_line(line: &Line, out: &mut Vec<(Format, String, Option<String>, f32, f32)>) {
    let n = line.widths.len();
    for s in 1..n {
        let found = read_at(line, s).or_else(|| read_ean8_at(line, s));
        if let Some((format, text, end)) = found {
            let m = line.widths[s..s + 3].iter().sum::<f32>() / 3.0;
            let add = if format == Format::Ean8 { None } else { addon(line, end, m) };
            out.push((format, text, add, line.starts[s], line.starts[end]));
        }
    }
}

/// Which way scan lines run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Direction {
    Rows,
    Columns,
    /// Down and to the right, 45°.
    Falling,
    /// Up and to the right, 45°.
    Rising,
}

impl Direction {
    /// Position along the lines and across them (in the direction's units).
    fn project(self, p: Point) -> (f32, f32) {
        match self {
            Direction::Rows => (p.x, p.y),
            Direction::Columns => (p.y, p.x),
            Direction::Falling => (p.x + p.y, p.x - p.y),
            Direction::Rising => (p.x - p.y, p.x + p.y),
        }
    }

    /// Scan line `k` of `count`: its first pixel (x, y), the change of y per
    /// sample (x advances by one, except along columns) and its length, for
    /// lines at least `min` long.
    fn line(self, w: usize, h: usize, k: usize, count: usize, min: usize) -> (isize, isize, isize, usize) {
        let spread = |lo: isize, hi: isize| lo + ((hi - lo) * (2 * k as isize + 1)) / (2 * count as isize);
        let (w, h, min) = (w as isize, h as isize, min as isize);
        match self {
            Direction::Rows => (0, spread(0, h), 0, w as usize),
            Direction::Columns => (spread(0, w), 0, 0, h as usize),
            Direction::Falling => {
                // Lines x - y = c.
                let c = spread(min - h, w - min);
                let (x0, y0) = (c.max(0), (-c).max(0));
                (x0, y0, 1, (w - x0).min(h - y0).max(0) as usize)
            }
            Direction::Rising => {
                // Lines x + y = c.
                let c = spread(min - 1, w + h - min - 1);
                let (x0, y0) = ((c - (h - 1)).max(0), c.min(h - 1));
                (x0, y0, -1, (w - x0).min(y0 + 1).max(0) as usize)
            }
        }
    }
}

/// Read scan lines across `luma` in one direction, both ways: `lines` of
/// `LINES` evenly spread lines.
fn scan(luma: &Luma, dir: Direction, lines: impl Iterator<Item = usize>, reads: &mut Vec<(usize, Read)>) {
    const MIN_LEN: usize = 30;
    let (w, h) = (luma.width as usize, luma.height as usize);
    let across = match dir {
        Direction::Rows => h,
        Direction::Columns => w,
        Direction::Falling | Direction::Rising => (w + h).saturating_sub(2 * MIN_LEN),
    };
    if w.min(h) < 3
        || across == 0
        || (dir == Direction::Rows && w < MIN_LEN)
        || (dir == Direction::Columns && h < MIN_LEN)
    {
        return;
    }
    let count = across.min(LINES);
    let mut profile = Vec::new();
    let mut runs = Vec::new();
    let mut found = Vec::new();
    let px = |x: usize, y: usize| luma.pixels[y * w + x] as u32;
    for k in lines.take_while(|&k| k < count) {
        let (x0, y0, ystep, len) = dir.line(w, h, k, count, MIN_LEN);
        if len < MIN_LEN {
            continue;
        }
        // Each sample with its two neighbours across the line, 1-2-1.
        profile.clear();
        match dir {
            Direction::Rows => {
                let c = y0 as usize;
                let (a, b) = (c.saturating_sub(1), (c + 1).min(h - 1));
                let (ra, rc, rb) =
                    (&luma.pixels[a * w..][..w], &luma.pixels[c * w..][..w], &luma.pixels[b * w..][..w]);
                profile.extend((0..w).map(|i| (ra[i] as u32 + 2 * rc[i] as u32 + rb[i] as u32) as f32 / 4.0));
            }
            Direction::Columns => {
                let c = x0 as usize;
                let (a, b) = (c.saturating_sub(1), (c + 1).min(w - 1));
                profile.extend(
                    luma.pixels
                        .chunks_exact(w)
                        .map(|row| (row[a] as u32 + 2 * row[c] as u32 + row[b] as u32) as f32 / 4.0),
                );
            }
            Direction::Falling | Direction::Rising => {
                profile.extend((0..len as isize).map(|t| {
                    let (x, y) = ((x0 + t) as usize, (y0 + ystep * t) as usize);
                    // The neighbours across a diagonal: (x ± 1, y ∓ ystep), kept inside.
                    let before = (x.checked_sub(1), y.checked_add_signed(ystep).filter(|&y| y < h));
                    let after =
                        ((x + 1 < w).then_some(x + 1), y.checked_add_signed(-ystep).filter(|&y| y < h));
                    let side = |n: (Option<usize>, Option<usize>)| match n {
                        (Some(x), Some(y)) => px(x, y),
                        _ => px(x, y),
                    };
                    (side(before) + 2 * px(x, y) + side(after)) as f32 / 4.0
                }));
            }
        }
        runs.clear();
        elements(&profile, &mut runs);
        for line in &runs {
            found.clear();
            read_line(line, &mut found);
            let forward = found.len();
            read_line(&line.reversed(len as f32), &mut found);
            for (i, (format, text, addon, from, to)) in found.drain(..).enumerate() {
                let (from, to) = if i < forward { (from, to) } else { (len as f32 - from, len as f32 - to) };
                let at = |t: f32| Point { x: x0 as f32 + t, y: y0 as f32 + ystep as f32 * t };
                let at = |t: f32| match dir {
                    Direction::Columns => Point { x: x0 as f32, y: t },
                    _ => at(t),
                };
                reads.push((k, Read { format, text, addon, from: at(from), to: at(to) }));
            }
        }
    }
}

/// Every EAN/UPC symbol read the same on at least two scan lines, along the
/// rows, or failing that along the columns (a symbol turned a quarter).
pub(crate) fn decode(luma: &Luma) -> Vec<super::Symbol> {
    let symbols = scan_direction(luma, Direction::Rows);
    if !symbols.is_empty() {
        return symbols;
    }
    scan_direction(luma, Direction::Columns)
}

/// The same along the two diagonals, for a symbol at an angle that neither
/// rows nor columns cross whole.
pub(crate) fn decode_diagonal(luma: &Luma) -> Vec<super::Symbol> {
    let symbols = scan_direction(luma, Direction::Falling);
    if !symbols.is_empty() {
        return symbols;
    }
    scan_direction(luma, Direction::Rising)
}

/// Every other line first; the lines between only when some line read a
/// symbol that no second line confirmed yet (most images hold no EAN/UPC
/// symbol at all, and a clear one is confirmed by the first half).
fn scan_direction(luma: &Luma, dir: Direction) -> Vec<super::Symbol> {
    let mut reads = Vec::new();
    scan(luma, dir, (0..LINES).step_by(2), &mut reads);
    let symbols = vote(&reads, dir);
    if !symbols.is_empty() || reads.is_empty() {
        return symbols;
    }
    scan(luma, dir, (1..LINES).step_by(2), &mut reads);
    vote(&reads, dir)
}

/// Where an accepted symbol lies: its span along the scan lines and across
/// them, and how many lines read it.
struct Extent {
    along: (f32, f32),
    across: (f32, f32),
    votes: usize,
}

/// Symbols read the same on at least two scan lines. A weaker reading at
/// the place of a symbol already taken is a misread of it and is dropped.
fn vote(reads: &[(usize, Read)], dir: Direction) -> Vec<super::Symbol> {
    // Votes per (format, text), one per scan line.
    let mut votes: HashMap<(Format, &str), Vec<&Read>> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (line, r) in reads {
        if seen.insert((*line, r.format, r.text.as_str())) {
            votes.entry((r.format, r.text.as_str())).or_default().push(r);
        }
    }
    let mut ranked: Vec<_> = votes.into_iter().filter(|(_, v)| v.len() >= 2).collect();
    ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.1.cmp(b.0.1)));
    let along = |p: Point| dir.project(p).0;
    let across = |p: Point| dir.project(p).1;
    let span = |rs: &[&Read], f: &dyn Fn(Point) -> f32| {
        rs.iter()
            .flat_map(|r| [f(r.from), f(r.to)])
            .fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)))
    };
    let mut out = Vec::new();
    let mut taken: Vec<Extent> = Vec::new();
    for ((format, main), rs) in ranked {
        let here = Extent { along: span(&rs, &along), across: span(&rs, &across), votes: rs.len() };
        let misread = taken.iter().any(|t| {
            let overlap = here.along.1.min(t.along.1) - here.along.0.max(t.along.0);
            let shorter = (here.along.1 - here.along.0).min(t.along.1 - t.along.0).max(1.0);
            let same_lines = here.across.0 <= t.across.1 && here.across.1 >= t.across.0;
            overlap / shorter > 0.5 && (same_lines || here.votes * 3 < t.votes)
        });
        if misread {
            continue;
        }
        let mut addons: HashMap<&str, usize> = HashMap::new();
        for r in &rs {
            if let Some(a) = &r.addon {
                *addons.entry(a.as_str()).or_default() += 1;
            }
        }
        let addon = addons
            .into_iter()
            .filter(|(_, n)| *n >= 2)
            .max_by_key(|&(a, n)| (n, a.len(), std::cmp::Reverse(a)))
            .map(|(a, _)| a);
        let points = vec![rs[0].from, rs[0].to];
        taken.push(here);
        out.push(super::reader::ean_symbol(format, main.to_owned(), addon.map(str::to_owned), points));
    }
    out
}

#[cfg(test)]
mod tests {
    use rxing::{BarcodeFormat, MultiFormatWriter, Writer};

    use super::*;

    /// Modules of a symbol as rxing's encoder draws it (true = bar), with
    /// its quiet zones.
    fn modules(format: BarcodeFormat, text: &str) -> Vec<bool> {
        let m = MultiFormatWriter.encode(text, &format, 0, 0).expect("encode");
        (0..m.width()).map(|x| m.get(x, 0)).collect()
    }

    /// Modules of an add-on (start 1011, digits, delimiters 01) by the
    /// standard's patterns, `parity` giving the G-set digits.
    fn addon_modules(digits: &str, g: &[bool]) -> Vec<bool> {
        let mut out = vec![true, false, true, true];
        for (i, d) in digits.bytes().enumerate() {
            if i > 0 {
                out.extend([false, true]);
            }
            let pat = L[(d - b'0') as usize];
            let widths: Vec<u8> = if g[i] { pat.iter().rev().copied().collect() } else { pat.to_vec() };
            for (k, w) in widths.iter().enumerate() {
                out.extend(std::iter::repeat_n(k % 2 == 1, *w as usize));
            }
        }
        out.extend([false; 9]);
        out
    }

    /// Print the modules at `px` pixels a module, bars widened by `ink`
    /// modules (negative: thinner), blurred by a Gaussian of `sigma` pixels,
    /// `rows` rows high, with a little deterministic noise.
    fn render(modules: &[bool], px: f32, ink: f32, sigma: f32, rows: u32) -> Luma {
        let width = (modules.len() as f32 * px).ceil() as usize;
        let dark = |x: f32| {
            let m = x / px;
            let i = m.floor() as usize;
            let on = |j: usize| modules.get(j).copied().unwrap_or(false);
            let f = m - m.floor();
            on(i) || (f < ink / 2.0 && i > 0 && on(i - 1)) || (f > 1.0 - ink / 2.0 && on(i + 1))
        };
        // Ink per pixel, 8 sub-samples; thinner bars shave both sides.
        let cover: Vec<f32> = (0..width)
            .map(|x| {
                (0..8)
                    .filter(|s| {
                        let xf = x as f32 + (*s as f32 + 0.5) / 8.0;
                        if ink >= 0.0 {
                            dark(xf)
                        } else {
                            let shave = -ink / 2.0 * px;
                            dark(xf) && dark(xf - shave) && dark(xf + shave)
                        }
                    })
                    .count() as f32
                    / 8.0
            })
            .collect();
        let blurred: Vec<f32> = if sigma > 0.0 {
            let r = (3.0 * sigma).ceil() as i64;
            let k: Vec<f32> = (-r..=r).map(|d| (-(d * d) as f32 / (2.0 * sigma * sigma)).exp()).collect();
            let ks: f32 = k.iter().sum();
            (0..width as i64)
                .map(|x| {
                    (-r..=r)
                        .map(|d| {
                            cover.get((x + d).clamp(0, width as i64 - 1) as usize).unwrap()
                                * k[(d + r) as usize]
                        })
                        .sum::<f32>()
                        / ks
                })
                .collect()
        } else {
            cover
        };
        let mut seed = 12345u32;
        let mut pixels = Vec::with_capacity(width * rows as usize);
        for _ in 0..rows {
            for &c in &blurred {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let noise = ((seed >> 16) % 9) as f32 - 4.0;
                pixels.push((230.0 - 190.0 * c + noise).clamp(0.0, 255.0) as u8);
            }
        }
        Luma { width: width as u32, height: rows, pixels }
    }

    fn read(luma: &Luma) -> Vec<(Format, String)> {
        decode(luma).into_iter().map(|s| (s.format, s.text)).collect()
    }

    #[test]
    fn sharp_blurred_and_ink_spread_prints_read_alike() {
        let m = modules(BarcodeFormat::EAN_13, "8934563138165");
        for (px, ink, sigma) in [(2.0, 0.0, 0.0), (3.0, -0.35, 1.0), (2.5, 0.3, 1.4), (4.0, 0.0, 2.6)] {
            let luma = render(&m, px, ink, sigma, 30);
            // The ends lie on one row inside the image, at the guards.
            let points = &decode(&luma)[0].points;
            assert_eq!(points.len(), 2);
            assert_eq!(points[0].y, points[1].y, "one scan row");
            assert!(points.iter().all(|p| p.y < luma.height as f32 && p.x < luma.width as f32));
            let first_bar = m.iter().position(|&b| b).unwrap() as f32 * px;
            assert!((points[0].x - first_bar).abs() < 2.0 * px, "{points:?} vs {first_bar}");
            let got = read(&luma);
            assert_eq!(got, [(Format::Ean13, "8934563138165".to_owned())], "px {px} ink {ink} sigma {sigma}");
        }
    }

    #[test]
    fn every_symbology_and_add_ons() {
        let cases = [
            (BarcodeFormat::UPC_A, "036000291452", Format::UpcA, "036000291452"),
            (BarcodeFormat::EAN_8, "96385074", Format::Ean8, "96385074"),
            (BarcodeFormat::UPC_E, "04252614", Format::UpcE, "04252614"),
        ];
        for (format, text, want_format, want) in cases {
            let got = read(&render(&modules(format, text), 2.5, 0.1, 0.8, 20));
            assert_eq!(got, [(want_format, want.to_owned())], "{text}");
        }
        // A book's five-digit price add-on: check value 141 mod 10 = 1, parity GLGLL.
        let five = "52495";
        let sum = 3 * (5 + 4 + 5) + 9 * (2 + 9);
        let bits = ADDON5_PARITY[sum % 10];
        let g: Vec<bool> = (0..5).map(|i| bits & (1 << (4 - i)) != 0).collect();
        let mut m = modules(BarcodeFormat::EAN_13, "9780201379624");
        m.truncate(m.len() - 2); // keep 7 modules of quiet zone before the add-on
        m.extend(addon_modules(five, &g));
        assert_eq!(read(&render(&m, 2.0, 0.0, 0.7, 20)), [(Format::Ean13, "978020137962452495".to_owned())]);
        // A periodical's two-digit issue number: parity from the value mod 4.
        let mut m = modules(BarcodeFormat::UPC_A, "012345678905");
        m.truncate(m.len() - 2);
        m.extend(addon_modules("07", &[true, true]));
        assert_eq!(read(&render(&m, 2.0, 0.0, 0.7, 20)), [(Format::UpcA, "01234567890507".to_owned())]);
    }

    #[test]
    fn upside_down_and_turned_symbols_read() {
        let luma = render(&modules(BarcodeFormat::EAN_13, "8934563138165"), 2.0, 0.0, 0.6, 24);
        let mut flipped = luma.clone();
        flipped.pixels.reverse();
        let (w, h) = (luma.width as usize, luma.height as usize);
        let mut turned = vec![0; w * h];
        for y in 0..h {
            for x in 0..w {
                turned[x * h + (h - 1 - y)] = luma.pixels[y * w + x];
            }
        }
        let turned = Luma { width: luma.height, height: luma.width, pixels: turned };
        for image in [&flipped, &turned] {
            assert_eq!(read(image), [(Format::Ean13, "8934563138165".to_owned())]);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Noise, stripes and tiny images never panic (this reader runs
        /// outside rxing's panic guard).
        #[test]
        fn any_image_is_safe(w in 1u32..300, h in 1u32..40, seed: u64, stripes in 0u32..8) {
            let mut x = seed | 1;
            let pixels = (0..w * h)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    if stripes > 0 && (i % w / (stripes + 1)) % 2 == 0 { 20 } else { (x % 256) as u8 }
                })
                .collect();
            let luma = Luma { width: w, height: h, pixels };
            let _ = decode(&luma);
            let _ = decode_diagonal(&luma);
        }
    }

    /// `luma` turned by `deg` degrees about its centre onto a white canvas
    /// large enough to hold it (bilinear sampling).
    fn rotate(luma: &Luma, deg: f32) -> Luma {
        let (w, h) = (luma.width as f32, luma.height as f32);
        let (sin, cos) = deg.to_radians().sin_cos();
        let side = (w * w + h * h).sqrt().ceil() as u32 + 4;
        let c = side as f32 / 2.0;
        let get = |x: i64, y: i64| {
            if x < 0 || y < 0 || x >= w as i64 || y >= h as i64 {
                230.0
            } else {
                luma.pixels[(y * w as i64 + x) as usize] as f32
            }
        };
        let mut pixels = Vec::with_capacity((side * side) as usize);
        for y in 0..side {
            for x in 0..side {
                let (dx, dy) = (x as f32 - c, y as f32 - c);
                let (sx, sy) = (cos * dx + sin * dy + w / 2.0, -sin * dx + cos * dy + h / 2.0);
                let (x0, y0) = (sx.floor(), sy.floor());
                let (fx, fy) = (sx - x0, sy - y0);
                let (x0, y0) = (x0 as i64, y0 as i64);
                let v = get(x0, y0) * (1.0 - fx) * (1.0 - fy)
                    + get(x0 + 1, y0) * fx * (1.0 - fy)
                    + get(x0, y0 + 1) * (1.0 - fx) * fy
                    + get(x0 + 1, y0 + 1) * fx * fy;
                pixels.push(v as u8);
            }
        }
        Luma { width: side, height: side, pixels }
    }

    #[test]
    fn a_symbol_at_an_angle_is_read_along_a_diagonal() {
        let m = modules(BarcodeFormat::EAN_13, "8934563138165");
        let upright = render(&m, 3.0, 0.0, 0.8, 200);
        let want = [(Format::Ean13, "8934563138165".to_owned())];
        for deg in [35.0, 130.0] {
            let turned = rotate(&upright, deg);
            assert!(read(&turned).is_empty(), "{deg}°: neither rows nor columns cross it whole");
            let diagonal: Vec<_> = decode_diagonal(&turned).into_iter().map(|s| (s.format, s.text)).collect();
            assert_eq!(diagonal, want, "{deg}°");
        }
    }

    #[test]
    fn one_scan_line_is_not_enough_and_a_wrong_check_digit_is_refused() {
        let m = modules(BarcodeFormat::EAN_13, "8934563138165");
        assert!(read(&render(&m, 2.0, 0.0, 0.0, 1)).is_empty(), "a single line must not decide");
        // The same bars with one right-hand digit changed (6 → 5): check digit fails.
        let mut bad = m.clone();
        let first_bar = m.iter().position(|&b| b).unwrap();
        let digit_at = first_bar + 3 + 42 + 5 + 4 * 7; // guard, left half, middle, 4 digits
        let bits = |b: [u8; 7]| b.map(|b| b == 1).to_vec();
        assert_eq!(bad[digit_at..digit_at + 7], bits([1, 0, 1, 0, 0, 0, 0]), "R-set 6 where expected");
        let r5 = bits([1, 0, 0, 1, 1, 1, 0]);
        bad[digit_at..digit_at + 7].copy_from_slice(&r5);
        assert!(read(&render(&bad, 2.0, 0.0, 0.0, 20)).is_empty());
    }
}
