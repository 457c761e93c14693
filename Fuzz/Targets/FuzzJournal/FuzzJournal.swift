// libFuzzer target: the session journal reader (whole files) and its fast line parser. A line
// the fast parser accepts must decode to the same event with the full decoder.
import Foundation
@testable import AgentCore
import FuzzDriver

/// The entry point SwiftPM links as `main`; libFuzzer takes it from here.
@_cdecl("FuzzJournal_main")
public func fuzzJournalMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    agent_fuzz_main(argc, argv)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    _ = try? JournalReader().read(bytes)
    for line in JournalReader.lineRanges(in: bytes) {
        let text = bytes[line.range]
        guard let fast = JournalLineParser.event(from: text) else { continue }
        let full = try? JournalCoding.makeDecoder().decode(JournalEvent.self, from: text)
        precondition(full == nil || full == fast, "fast and full decoders disagree on \(String(decoding: text, as: UTF8.self))")
    }
    return 0
}
