import AgentCore
import AgentProtocol
import Foundation
import Synchronization
import Testing

@testable import AgentCLI

/// Collects what a renderer writes; can hold the first write back to show that nothing waits
/// on a lock while a write is blocked.
final class RecordingSink: Sendable {
    private let written = Mutex<[String]>([])
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let blockFirst: Bool
    private let first = Atomic<Bool>(true)

    init(blockFirst: Bool = false) { self.blockFirst = blockFirst }

    func write(_ text: String, _ fd: Int32) {
        if blockFirst, first.exchange(false, ordering: .relaxed) {
            entered.signal()
            release.wait()
        }
        written.withLock { $0.append(text) }
    }

    var text: String { written.withLock { $0.joined() } }
}

@Suite("Renderer")
struct RendererTests {
    func renderer(_ sink: RecordingSink, color: Bool = true) -> Renderer {
        Renderer(options: .init(
            style: Style(enabled: color), showReasoning: false, isTTY: true, hyperlinks: false,
            sink: { sink.write($0, $1) }, width: { 80 }))
    }

    @Test func aDenialIsShownOnce() {
        let sink = RecordingSink()
        let renderer = renderer(sink, color: false)
        let call = ToolCall(id: "c1", name: "write_file", arguments: "{}")
        renderer.handle(.toolStarted(call, summary: "write notes.txt"))
        renderer.handle(.toolDenied(call, reason: "denied: the user declined this write_file call"))
        renderer.handle(.toolFinished(call, output: "denied: the user declined this write_file call", isError: true))
        #expect(sink.text.components(separatedBy: "declined").count == 2)
    }

    @Test func skippedLinesAreSaidAfterTheAnswerOnItsOwnLine() {
        let sink = RecordingSink()
        let renderer = renderer(sink, color: false)
        renderer.handle(.text("an answer"))
        renderer.handle(.skippedLines(1))
        renderer.finishTurn()
        #expect(sink.text.contains("an answer\n(1 line of the server's stream was not a chat chunk and skipped"), "\(sink.text)")
        #expect(StreamJSON.line(for: .skippedLines(3)) == #"{"count":3,"type":"skipped_lines"}"# + "\n")
    }

    @Test func markdownIsRenderedWithColourAndVerbatimWithout() {
        let pieces = ["# Ti", "tle\n**b", "old** and `co", "de`"]
        let colour = RecordingSink()
        let rendered = renderer(colour)
        for piece in pieces { rendered.handle(.text(piece)) }
        rendered.finishTurn()
        #expect(colour.text.contains("\u{1B}[1mbold\u{1B}[0m"))
        let plain = RecordingSink()
        let verbatim = renderer(plain, color: false)
        for piece in pieces { verbatim.handle(.text(piece)) }
        verbatim.finishTurn()
        #expect(plain.text == pieces.joined() + "\n")
    }

    @Test func aVoidedAttemptIsErasedRowsAndAll() {
        let sink = RecordingSink()
        let renderer = renderer(sink)
        renderer.handle(.text("# One\ntwo\nthr"))
        renderer.handle(.attemptVoided)
        #expect(sink.text.hasSuffix("\u{1B}[0m\u{1B}]8;;\u{1B}\\\r\u{1B}[2A\u{1B}[J"))
    }

    @Test func noLockIsHeldWhileAWriteIsBlocked() async {
        let sink = RecordingSink(blockFirst: true)
        let renderer = renderer(sink, color: false)
        Thread.detachNewThread { renderer.note("first") }
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                sink.entered.wait()
                continuation.resume()
            }
        }
        // The first write is stuck in the sink; with a lock held across it this would hang.
        renderer.note("second")
        renderer.handle(.text("third"))
        sink.release.signal()
        await renderer.flushed()
        #expect(sink.text == "first\nsecond\nthird")
    }

    @Test func theUsageLine() {
        #expect(RenderLines.usage(Usage(promptTokens: 12, completionTokens: 30), generationSeconds: 1.5)
            == "12 in · 30 out · 20.0 tok/s")
        #expect(RenderLines.usage(Usage(promptTokens: 1, completionTokens: 0), generationSeconds: 0) == "1 in · 0 out")
    }
}

@Suite("Hyperlink support")
struct HyperlinkTests {
    @Test func decidedFromTheEnvironment() {
        #expect(Hyperlinks.supported(environment: ["TERM_PROGRAM": "iTerm.app"]))
        #expect(Hyperlinks.supported(environment: ["TERM": "xterm-kitty"]))
        #expect(Hyperlinks.supported(environment: ["VTE_VERSION": "7200"]))
        #expect(!Hyperlinks.supported(environment: ["VTE_VERSION": "4800"]))
        #expect(!Hyperlinks.supported(environment: ["VTE_VERSION": "99999999999999999999"]))
        #expect(!Hyperlinks.supported(environment: ["TERM": "xterm-256color"]))
        #expect(!Hyperlinks.supported(environment: ["TERM_PROGRAM": "iTerm.app", "TMUX": "/tmp/tmux"]))
        #expect(Hyperlinks.supported(environment: ["TMUX": "/tmp/tmux", "FORCE_HYPERLINK": "1"]))
        #expect(!Hyperlinks.supported(environment: ["TERM": "xterm-kitty", "FORCE_HYPERLINK": "0"]))
    }
}
