import PhotosUI
import SwiftUI
import UIKit

/// The consumer's screen: aim at a barcode or QR code (or type it, or pick a
/// photo) and see what is known about the product, warnings first.
@MainActor
struct ScanView: View {
    @EnvironmentObject private var model: AppModel
    @StateObject private var camera = CameraScanner()
    @Environment(\.openURL) private var openURL

    @State private var outcome: AppModel.ScanOutcome? = nil
    @State private var lookingUp = false
    @State private var typedCode = ""
    @State private var notice: String? = nil
    @State private var sheet: ScanSheet? = nil

    private enum ScanSheet: Identifiable {
        case photo, complaintForm(String), inspectionForm(String)

        var id: String {
            switch self {
            case .photo: return "photo"
            case .complaintForm(let code): return "complaint " + code
            case .inspectionForm(let code): return "inspection " + code
            }
        }
    }

    var body: some View {
        NavigationView {
            ScrollView {
                VStack(spacing: 16) {
                    viewfinder
                    typedEntry
                    if lookingUp {
                        ProgressView("scan.looking_up")
                    } else if let outcome = outcome {
                        ResultCard(
                            outcome: outcome,
                            complain: { sheet = .complaintForm(outcome.text) },
                            inspect: { sheet = .inspectionForm(outcome.text) },
                            scanAgain: scanAgain)
                    } else if let notice = notice {
                        Text(notice).foregroundColor(.secondary)
                    }
                }
                .padding()
            }
            .navigationTitle("scan.title")
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .navigationBarTrailing) {
                    Button { sheet = .photo } label: { Label("scan.photo", systemImage: "photo") }
                }
            }
            .sheet(item: $sheet) { sheet in
                switch sheet {
                case .photo:
                    PhotoPicker { image in Task { await decodePhoto(image) } }
                case .complaintForm(let code):
                    NavigationView { ComplaintFormView(code: code).closeButton { self.sheet = nil } }
                        .environmentObject(model)
                case .inspectionForm(let code):
                    NavigationView { InspectionFormView(code: code).closeButton { self.sheet = nil } }
                        .environmentObject(model)
                }
            }
        }
        .navigationViewStyle(.stack)
        .onAppear {
            camera.onCode = { symbol in Task { await lookUp(symbol.text, symbologyId: symbol.symbologyId) } }
            camera.start()
            if outcome != nil { camera.pause() }
        }
        .onDisappear { camera.stop() }
    }

    @ViewBuilder private var viewfinder: some View {
        switch camera.status {
        case .denied:
            VStack(spacing: 12) {
                Text("scan.camera.denied").multilineTextAlignment(.center)
                Button("scan.camera.open_settings") {
                    if let url = URL(string: UIApplication.openSettingsURLString) { openURL(url) }
                }
            }
            .frame(maxWidth: .infinity, minHeight: 120)
        case .unavailable:
            Text("scan.camera.unavailable")
                .multilineTextAlignment(.center)
                .foregroundColor(.secondary)
                .frame(maxWidth: .infinity, minHeight: 120)
        case .idle, .running:
            CameraPreview(camera: camera)
                .frame(height: outcome == nil ? 320 : 140)
                .clipShape(RoundedRectangle(cornerRadius: 16))
                .overlay(alignment: .bottom) {
                    if outcome == nil {
                        Text("scan.hint")
                            .font(.footnote)
                            .padding(6)
                            .background(.thinMaterial, in: Capsule())
                            .padding(8)
                    }
                }
        }
    }

    private var typedEntry: some View {
        HStack {
            TextField("scan.typed.placeholder", text: $typedCode)
                .textFieldStyle(.roundedBorder)
                .textInputAutocapitalization(.never)
                .disableAutocorrection(true)
                .submitLabel(.search)
                .onSubmit(lookUpTyped)
            Button("scan.typed.look_up", action: lookUpTyped)
                .disabled(typedCode.trimmed.isEmpty || lookingUp)
        }
    }

    private func lookUpTyped() {
        let code = typedCode.trimmed
        guard !code.isEmpty else { return }
        Task { await lookUp(code, symbologyId: nil) }
    }

    private func lookUp(_ text: String, symbologyId: String?) async {
        camera.pause()
        notice = nil
        lookingUp = true
        outcome = await model.lookUp(text, symbologyId: symbologyId)
        lookingUp = false
    }

    private func scanAgain() {
        outcome = nil
        typedCode = ""
        camera.resume()
    }

    /// A photo from the library: decoded thoroughly (rotations, inverted).
    private func decodePhoto(_ image: UIImage) async {
        // Any format the library holds (HEIC too) becomes JPEG, which the core reads.
        guard let jpeg = image.jpegData(compressionQuality: 0.9) else { return }
        let scanner = model.scanner
        camera.pause()
        lookingUp = true
        let symbols = (try? await CoreQueue.run { try scanner.decodeImage(bytes: jpeg, mode: .thorough) }) ?? []
        lookingUp = false
        guard let symbol = symbols.first else {
            outcome = nil
            notice = L("scan.photo.none")
            camera.resume()
            return
        }
        await lookUp(symbol.text, symbologyId: symbol.symbologyId)
    }
}

/// One photo from the library (PHPicker: no photo-library permission needed).
private struct PhotoPicker: UIViewControllerRepresentable {
    let onPick: (UIImage) -> Void

    func makeUIViewController(context: Context) -> PHPickerViewController {
        var configuration = PHPickerConfiguration()
        configuration.filter = .images
        configuration.selectionLimit = 1
        let picker = PHPickerViewController(configuration: configuration)
        picker.delegate = context.coordinator
        return picker
    }

    func updateUIViewController(_ picker: PHPickerViewController, context: Context) {}

    func makeCoordinator() -> Coordinator { Coordinator(onPick: onPick) }

    final class Coordinator: NSObject, PHPickerViewControllerDelegate {
        let onPick: (UIImage) -> Void

        init(onPick: @escaping (UIImage) -> Void) {
            self.onPick = onPick
        }

        func picker(_ picker: PHPickerViewController, didFinishPicking results: [PHPickerResult]) {
            picker.dismiss(animated: true)
            guard let provider = results.first?.itemProvider, provider.canLoadObject(ofClass: UIImage.self) else {
                return
            }
            provider.loadObject(ofClass: UIImage.self) { object, _ in
                guard let image = object as? UIImage else { return }
                DispatchQueue.main.async { self.onPick(image) }
            }
        }
    }
}

extension View {
    /// A "close" button for a form shown in a sheet.
    func closeButton(_ close: @escaping () -> Void) -> some View {
        toolbar {
            ToolbarItem(placement: .cancellationAction) {
                Button("common.close", action: close)
            }
        }
    }
}
