import AgentProtocol

/// Puts streamed tool-call fragments back together.
///
/// Servers disagree on how they stream calls: OpenAI sends `index` on every fragment and `id`
/// and name on the first; some local servers send a whole call per chunk with no `index`, or no
/// `id` at all. A fragment joins the call with its `index`; without one it joins the call with its
/// `id`, else the last call, unless it carries a new name (then it starts a new call).
public struct ToolCallAssembler: Sendable {
    struct Partial: Sendable {
        var index: Int?
        var id: String?
        var name = ""
        var arguments = ""
    }

    private var calls: [Partial] = []
    /// The first call with each index and each id, so that a fragment finds its call at once
    /// (a linear search made a stream of many calls quadratic).
    private var slotByIndex: [Int: Int] = [:]
    private var slotByID: [String: Int] = [:]
    /// Calls begun past `maxCalls`: not kept, so a server that streams thousands of calls
    /// cannot make agent run (or hold) them all.
    private var refused: Set<String> = []
    private let makeID: @Sendable () -> String

    /// The calls one answer may make; those past it are not run.
    public static let maxCalls = 64

    public init(makeID: @escaping @Sendable () -> String = ToolCall.makeID) {
        self.makeID = makeID
    }

    public var isEmpty: Bool { calls.isEmpty }

    /// How many calls the answer began past `maxCalls` (they are not run).
    public var refusedCount: Int { refused.count }

    public mutating func add(_ delta: ToolCallDelta) {
        if let target = slot(for: delta) {
            merge(delta, into: target)
            return
        }
        guard calls.count < Self.maxCalls else {
            refused.insert(delta.index.map { "#\($0)" } ?? delta.id ?? "call \(refused.count)")
            return
        }
        let slot = calls.count
        calls.append(Partial(index: delta.index, id: delta.id))
        if let index = delta.index, slotByIndex[index] == nil { slotByIndex[index] = slot }
        if let id = delta.id, slotByID[id] == nil { slotByID[id] = slot }
        merge(delta, into: &calls[slot])
    }

    private func slot(for delta: ToolCallDelta) -> Int? {
        if let index = delta.index {
            if let found = slotByIndex[index] {
                // Some servers reuse index 0 for every whole call; a new id means a new call.
                if let id = delta.id, let existing = calls[found].id, id != existing { return nil }
                return found
            }
            return nil
        }
        if let id = delta.id {
            return slotByID[id]
        }
        if let name = delta.name, !name.isEmpty, let last = calls.last, !last.name.isEmpty, name != last.name || !last.arguments.isEmpty {
            return nil
        }
        return calls.isEmpty ? nil : calls.count - 1
    }

    private mutating func merge(_ delta: ToolCallDelta, into slot: Int) {
        if calls[slot].id == nil, let id = delta.id, !id.isEmpty {
            calls[slot].id = id
            // The first call with the id, as a search from the start would find.
            slotByID[id] = min(slotByID[id] ?? slot, slot)
        }
        merge(delta, into: &calls[slot])
    }

    private func merge(_ delta: ToolCallDelta, into partial: inout Partial) {
        if let name = delta.name, !name.isEmpty {
            // A name normally arrives once; a server repeating it must not double it.
            if partial.name.isEmpty || partial.name == name { partial.name = name } else { partial.name += name }
        }
        if let arguments = delta.arguments { partial.arguments += arguments }
    }

    /// The complete calls, each with an id (generated when the server sent none). Calls without
    /// a name are half-received and dropped; `dropped` says how many.
    public func finish() -> (calls: [ToolCall], dropped: Int) {
        var result: [ToolCall] = []
        var dropped = 0
        var seen = Set<String>()
        for partial in calls {
            guard !partial.name.isEmpty else {
                dropped += 1
                continue
            }
            var id = partial.id ?? makeID()
            while seen.contains(id) { id = makeID() }
            seen.insert(id)
            result.append(ToolCall(id: id, name: partial.name, arguments: partial.arguments))
        }
        return (result, dropped)
    }

    /// How many calls were begun; used to record what was dropped when a stream is cut.
    public var count: Int { calls.count }
}
