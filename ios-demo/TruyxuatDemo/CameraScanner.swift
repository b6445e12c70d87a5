import AVFoundation
import SwiftUI
import UIKit

/// Reads codes with the back camera: the luma (Y) plane of a frame goes to
/// the core's decoder, a few frames a second, on a background queue.
///
/// The app is portrait-only. The back camera delivers landscape buffers,
/// which the screen shows turned 90° clockwise: the decoder is told so, and
/// only the aiming frame (the crop, in the buffer's own pixels) is decoded.
final class CameraScanner: NSObject, ObservableObject {
    enum Status { case idle, running, denied, unavailable }

    @Published private(set) var status = Status.idle
    /// Called on the main queue with each code read; reading then pauses
    /// until `resume()`.
    var onCode: ((Symbol) -> Void)?

    let captureSession = AVCaptureSession()

    /// At most one decode per interval: enough to feel instant, and leaves a
    /// cheap phone's CPU for the rest.
    private static let decodeInterval: TimeInterval = 0.15
    /// A code is reported again only after this long out of view.
    private static let repeatInterval: TimeInterval = 2
    private static let rotation: Int32 = 90

    private let scanner = Scanner()
    private let control = DispatchQueue(label: "vn.truyxuat.demo.camera")
    private let frames = DispatchQueue(label: "vn.truyxuat.demo.frames", qos: .userInitiated)

    private var configured = false  // control queue only

    // Frames queue only.
    private var lastDecode = Date.distantPast
    private var lastCode: LastCode?

    // Shared by the main and frames queues, under `lock`.
    private let lock = NSLock()
    private var paused = false
    private var aim: CGRect?

    private struct LastCode {
        let text: String
        var seenAt: Date
    }

    private enum CameraError: Error { case noCamera, notSupported }

    // MARK: - Control (main queue)

    func start() {
        Task { @MainActor in
            guard await Self.cameraAllowed() else {
                status = .denied
                return
            }
            control.async { [self] in
                do {
                    if !configured {
                        try configure()
                        configured = true
                    }
                    if !captureSession.isRunning { captureSession.startRunning() }
                    DispatchQueue.main.async { self.status = .running }
                } catch {
                    logger.error("camera: \(String(describing: error), privacy: .public)")
                    DispatchQueue.main.async { self.status = .unavailable }
                }
            }
        }
    }

    func stop() {
        control.async { [self] in
            if captureSession.isRunning { captureSession.stopRunning() }
        }
        if status == .running { status = .idle }
    }

    func pause() {
        withLock { paused = true }
    }

    func resume() {
        // The code just shown may still be in view: it counts as seen now.
        frames.async { [self] in lastCode?.seenAt = Date() }
        withLock { paused = false }
    }

    /// The aiming frame, normalised (0…1) in the buffer's coordinates; nil
    /// for the whole frame.
    func setAim(_ rect: CGRect?) {
        withLock { aim = rect }
    }

    private func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    private static func cameraAllowed() async -> Bool {
        switch AVCaptureDevice.authorizationStatus(for: .video) {
        case .authorized: return true
        case .notDetermined: return await AVCaptureDevice.requestAccess(for: .video)
        default: return false
        }
    }

    /// Control queue.
    private func configure() throws {
        guard let device = AVCaptureDevice.default(.builtInWideAngleCamera, for: .video, position: .back) else {
            throw CameraError.noCamera
        }
        let input = try AVCaptureDeviceInput(device: device)
        let output = AVCaptureVideoDataOutput()
        output.videoSettings = [kCVPixelBufferPixelFormatTypeKey as String: kCVPixelFormatType_420YpCbCr8BiPlanarFullRange]
        output.alwaysDiscardsLateVideoFrames = true
        output.setSampleBufferDelegate(self, queue: frames)

        captureSession.beginConfiguration()
        defer { captureSession.commitConfiguration() }
        if captureSession.canSetSessionPreset(.hd1280x720) { captureSession.sessionPreset = .hd1280x720 }
        guard captureSession.canAddInput(input), captureSession.canAddOutput(output) else {
            throw CameraError.notSupported
        }
        captureSession.addInput(input)
        captureSession.addOutput(output)

        // Labels are read from close by.
        if (try? device.lockForConfiguration()) != nil {
            if device.isAutoFocusRangeRestrictionSupported { device.autoFocusRangeRestriction = .near }
            if device.isFocusModeSupported(.continuousAutoFocus) { device.focusMode = .continuousAutoFocus }
            device.unlockForConfiguration()
        }
    }
}

// MARK: - Frames (frames queue)

extension CameraScanner: AVCaptureVideoDataOutputSampleBufferDelegate {
    func captureOutput(_ output: AVCaptureOutput, didOutput sampleBuffer: CMSampleBuffer,
                       from connection: AVCaptureConnection) {
        let now = Date()
        guard now.timeIntervalSince(lastDecode) >= Self.decodeInterval else { return }
        let (isPaused, aimRect) = withLock { (paused, aim) }
        guard !isPaused, let pixels = CMSampleBufferGetImageBuffer(sampleBuffer) else { return }
        lastDecode = now

        let symbols: [Symbol]
        do {
            // The core reads the Y plane in place while the buffer is locked.
            let found = try LumaPlane.reading(pixels) { plane in
                try scanner.decodeFrameAt(
                    address: plane.address, length: plane.length,
                    width: plane.width, height: plane.height, rowStride: plane.rowStride,
                    rotation: Self.rotation, crop: plane.crop(aimRect), mode: .stream)
            }
            guard let found else { return }
            symbols = found
        } catch {
            logger.error("decode: \(describe(error), privacy: .public)")
            return
        }
        guard let symbol = symbols.first else { return }
        if var last = lastCode, last.text == symbol.text, now.timeIntervalSince(last.seenAt) < Self.repeatInterval {
            last.seenAt = now
            lastCode = last
            return
        }
        lastCode = LastCode(text: symbol.text, seenAt: now)
        pause()
        DispatchQueue.main.async { self.onCode?(symbol) }
    }
}

/// The Y plane of a bi-planar 4:2:0 frame where the pixel buffer keeps it:
/// its address and length go to `Scanner.decodeFrameAt`, which reads it in
/// place (no copy), so it is only valid inside `reading`.
private struct LumaPlane {
    let address: UInt64
    let length: UInt64
    let width: UInt32
    let height: UInt32
    let rowStride: UInt32

    /// Lock `pixels`, hand its Y plane to `body`, unlock. Nil when the frame
    /// is not bi-planar 4:2:0 or has no plane.
    static func reading<T>(_ pixels: CVPixelBuffer, _ body: (LumaPlane) throws -> T) rethrows -> T? {
        guard CVPixelBufferGetPixelFormatType(pixels) == kCVPixelFormatType_420YpCbCr8BiPlanarFullRange else {
            return nil
        }
        CVPixelBufferLockBaseAddress(pixels, .readOnly)
        defer { CVPixelBufferUnlockBaseAddress(pixels, .readOnly) }
        guard let base = CVPixelBufferGetBaseAddressOfPlane(pixels, 0) else { return nil }
        let h = CVPixelBufferGetHeightOfPlane(pixels, 0)
        let stride = CVPixelBufferGetBytesPerRowOfPlane(pixels, 0)
        let plane = LumaPlane(
            address: UInt64(UInt(bitPattern: base)),
            length: UInt64(stride * h),
            width: UInt32(CVPixelBufferGetWidthOfPlane(pixels, 0)),
            height: UInt32(h),
            rowStride: UInt32(stride))
        return try body(plane)
    }

    /// A normalised rectangle in this frame's pixels; nil (the whole frame)
    /// when there is none or it is too small to hold a code.
    func crop(_ normalized: CGRect?) -> Crop? {
        guard let r = normalized else { return nil }
        let w = CGFloat(width), h = CGFloat(height)
        let left = max(0, Int(r.minX * w)), top = max(0, Int(r.minY * h))
        let right = min(Int(width), Int(r.maxX * w)), bottom = min(Int(height), Int(r.maxY * h))
        guard right - left >= 64, bottom - top >= 64 else { return nil }
        return Crop(left: UInt32(left), top: UInt32(top), width: UInt32(right - left), height: UInt32(bottom - top))
    }
}

// MARK: - Preview

/// The camera picture with the aiming frame; tells the scanner where the
/// frame is in the camera's coordinates.
struct CameraPreview: UIViewRepresentable {
    let camera: CameraScanner

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        view.previewLayer.session = camera.captureSession
        view.previewLayer.videoGravity = .resizeAspectFill
        view.onAimChange = { [weak camera] rect in camera?.setAim(rect) }
        return view
    }

    func updateUIView(_ view: PreviewView, context: Context) {}
}

final class PreviewView: UIView {
    override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }

    var previewLayer: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer }
    var onAimChange: ((CGRect?) -> Void)?

    private let frameLayer = CAShapeLayer()

    override init(frame: CGRect) {
        super.init(frame: frame)
        frameLayer.strokeColor = UIColor.white.cgColor
        frameLayer.fillColor = UIColor.clear.cgColor
        frameLayer.lineWidth = 3
        layer.addSublayer(frameLayer)
        // The conversion to camera coordinates needs a running session.
        NotificationCenter.default.addObserver(
            self, selector: #selector(sessionStarted), name: .AVCaptureSessionDidStartRunning, object: nil)
    }

    required init?(coder: NSCoder) {
        fatalError("PreviewView is made in code")
    }

    @objc private func sessionStarted() {
        DispatchQueue.main.async { self.setNeedsLayout() }
    }

    override func layoutSubviews() {
        super.layoutSubviews()
        let width = bounds.width * 0.8
        let height = min(width * 0.65, bounds.height * 0.8)
        let aim = CGRect(x: bounds.midX - width / 2, y: bounds.midY - height / 2, width: width, height: height)
        frameLayer.frame = bounds
        frameLayer.path = UIBezierPath(roundedRect: aim, cornerRadius: 12).cgPath

        let converted = previewLayer.metadataOutputRectConverted(fromLayerRect: aim)
        let unit = CGRect(x: 0, y: 0, width: 1, height: 1).insetBy(dx: -0.01, dy: -0.01)
        onAimChange?(!converted.isEmpty && unit.contains(converted) ? converted : nil)
    }
}
