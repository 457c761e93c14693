/// Makes control characters in model text harmless on a terminal: an escape sequence the model
/// wrote must not move the cursor, recolour the screen or retitle the window. C0 controls other
/// than tab become caret notation (`^[`), DEL becomes `^?`, C1 controls become U+FFFD, and
/// carriage returns are dropped (a CRLF line ending is a line ending).
enum ControlCharacters {
    static func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) {
                return true
            }
            previous = byte
        }
        return false
    }

    /// The bytes as text a terminal shows without acting on it.
    static func visible(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard contains(bytes) else { return String(decoding: bytes, as: UTF8.self) }
        var result = String.UnicodeScalarView()
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0x0D: continue
            case 0x09: result.append(scalar)
            case 0..<0x20:
                result.append("^")
                result.append(Unicode.Scalar(UInt8(scalar.value) + 0x40))
            case 0x7F: result.append(contentsOf: "^?".unicodeScalars)
            case 0x80..<0xA0: result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    static func visible(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { visible($0) }
    }
}
