/// What the float64 and float32 transcendental fixtures share (`Scripts/fixtures/
/// transcendentals.py` and `transcendentals32.py`): a function's input domain and the
/// generator the inputs are drawn with.
struct TranscendentalDomain: Sendable {
  let low, high, lowExp, highExp: Double
  let negatives: Bool

  /// A manifest's domain entry (`low`, `high`, `lowExp`, `highExp`, `negatives`).
  init?(_ entry: Any?) {
    guard let entry = entry as? [String: Any],
      let low = entry["low"] as? Double, let high = entry["high"] as? Double,
      let lowExp = entry["lowExp"] as? Double, let highExp = entry["highExp"] as? Double,
      let negatives = entry["negatives"] as? Bool
    else { return nil }
    (self.low, self.high, self.lowExp, self.highExp) = (low, high, lowExp, highExp)
    self.negatives = negatives
  }
}

/// splitmix64, the fixtures' generator: advances `state` and returns the next draw.
func splitMix64(_ state: inout UInt64) -> UInt64 {
  state &+= 0x9E37_79B9_7F4A_7C15
  var z = state
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}
