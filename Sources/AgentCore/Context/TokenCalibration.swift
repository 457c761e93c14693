/// Turns `TokenEstimator`'s byte-based count into the server's own tokens, learning from the
/// prompt sizes it reports (`usage.prompt_tokens`, `prompt_eval_count`, an overflow error's
/// figure), so the estimate converges on the real tokenizer.
///
/// Before any report it errs on the large side: 3 bytes a token (the estimator counts 4), harsher
/// than English text or code under any common tokenizer. A report that says more tokens than
/// expected is believed at once; one that says fewer moves the ratio halfway, so a single odd
/// figure cannot make the estimate optimistic. Reports outside 1–16 bytes a token (a prompt
/// served from a cache and counted as a handful of tokens) are ignored.
public struct TokenCalibration: Sendable, Equatable {
    /// Server tokens per estimated token.
    public private(set) var ratio: Double = 4.0 / 3.0
    public private(set) var samples = 0
    /// Added on top of the ratio: what the estimate may still be off by between two reports.
    public static let headroom = 1.05
    /// Prompts smaller than this say more about the chat template than about the tokenizer.
    public static let minimumSample = 32

    public init() {}

    public mutating func observe(estimated: Int, reported: Int) {
        guard estimated >= Self.minimumSample, reported > 0 else { return }
        let sample = Double(reported) / Double(estimated)
        guard (0.25...4).contains(sample) else { return }
        if samples == 0 || sample > ratio {
            ratio = sample
        } else {
            ratio = (ratio + sample) / 2
        }
        samples += 1
    }

    /// The estimate in the server's tokens, rounded up.
    public func tokens(_ estimated: Int) -> Int {
        guard estimated > 0 else { return 0 }
        return Int((Double(estimated) * ratio * Self.headroom).rounded(.up))
    }
}
