// libFuzzer target: the session journal reader (whole files) and its fast line parser. A line
// the fast parser accepts must decode to the same event with the full decoder (a message
// without metadata gets "now" as its time from each, a moment apart: that is not a difference).
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
        precondition(full == nil || full.map(timeless) == timeless(fast),
                     "fast and full decoders disagree on \(String(decoding: text, as: UTF8.self))")
    }
    return 0
}

func timeless(_ event: JournalEvent) -> JournalEvent {
    guard case .message(var message, let count) = event,
        abs(message.metadata.createdAt.timeIntervalSinceNow) < 60
    else { return event }
    message.metadata.createdAt = .distantPast
    return .message(message, count: count)
}
