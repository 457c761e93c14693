// libFuzzer target: the config parser (TOML through TOMLKit, every key's range checks), `-c`
// overrides and the endpoint parsers, on arbitrary text. Errors are fine; crashes are not.
@testable import AgentConfig
import FuzzDriver

/// The entry point SwiftPM links as `main`; libFuzzer takes it from here.
@_cdecl("FuzzConfig_main")
public func fuzzConfigMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    agent_fuzz_main(argc, argv)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let file = try? ConfigFile(path: "fuzz.toml", text: text) {
        var settings = Settings()
        for assignment in file.topLevel + file.profiles.values.flatMap({ $0 }) {
            try? assignment.key.assign(assignment.value, to: &settings)
        }
        _ = file.warnings.map(\.description)
    }
    for line in text.split(separator: "\n").prefix(16) {
        _ = try? OverrideParser.parse(String(line))
        _ = Endpoint.normalized(String(line))
        _ = Endpoint.fromOllamaHost(String(line))
        _ = Endpoint.fromOpenAIBase(String(line))
        _ = Endpoint.isPlainHTTPToAnotherHost(String(line))
    }
    return 0
}
