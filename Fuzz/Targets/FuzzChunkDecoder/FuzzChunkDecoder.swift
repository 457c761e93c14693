// libFuzzer target: the chat-chunk decoder (one `data:` payload) and the stream reader that
// feeds it, on arbitrary bytes. Nothing may crash; whole and split feeds must say the same
// (the text of one read comes as one event, so text is compared joined, not event by event).
import AgentProtocol
@testable import ModelClient
import FuzzDriver

/// The entry point SwiftPM links as `main`; libFuzzer takes it from here.
@_cdecl("FuzzChunkDecoder_main")
public func fuzzChunkDecoderMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    agent_fuzz_main(argc, argv)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChunkDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    let decoder = ChatChunkDecoder()
    _ = decoder.decode(String(decoding: buffer, as: UTF8.self))
    _ = decoder.decodeInFull(buffer)

    var whole = StreamReader()
    let expected = whole.feed(buffer) + whole.finish()
    let cut = size == 0 ? 0 : Int(buffer[0]) % (size + 1)
    var split = StreamReader()
    let events = split.feed(UnsafeBufferPointer(rebasing: buffer[..<cut]))
        + split.feed(UnsafeBufferPointer(rebasing: buffer[cut...])) + split.finish()
    precondition(joined(events) == joined(expected), "split at \(cut) changed the events")
    var collected = StreamReader()
    _ = collected.whole(String(decoding: buffer, as: UTF8.self))
    return 0
}

/// Events with adjacent text (and adjacent reasoning) pieces joined.
func joined(_ events: [ModelEvent]) -> [ModelEvent] {
    var out: [ModelEvent] = []
    for event in events {
        switch (out.last, event) {
        case (.content(let a)?, .content(let b)): out[out.count - 1] = .content(a + b)
        case (.reasoning(let a)?, .reasoning(let b)): out[out.count - 1] = .reasoning(a + b)
        default: out.append(event)
        }
    }
    return out.filter { if case .content("") = $0 { return false } else { return true } }
}
