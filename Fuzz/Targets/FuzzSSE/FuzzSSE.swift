// libFuzzer target: the SSE parser. Bytes split anywhere must give the same events as the whole
// input (the parser's invariant), and no input may crash it.
@testable import ModelClient
import FuzzDriver

/// The entry point SwiftPM links as `main`; libFuzzer takes it from here.
@_cdecl("FuzzSSE_main")
public func fuzzSSEMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    agent_fuzz_main(argc, argv)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSE(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var whole = SSEParser()
    let expected = whole.feed(bytes) + whole.finish()
    // The first byte picks where to split the rest, so the fuzzer explores split points too.
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    var split = SSEParser()
    let events = split.feed(bytes[..<cut]) + split.feed(bytes[cut...]) + split.finish()
    precondition(events == expected, "split at \(cut) changed the events")
    return 0
}
