using System.Text;

namespace Isko.Fuzz;

/// <summary>
/// A seeded byte mutator: bit flips, random bytes, truncation, chunk deletion, duplication and
/// insertion, splices between seeds, and "interesting" tokens (huge numbers, brackets, quotes, NULs).
/// The same seed gives the same inputs, so a failure can be replayed from its (target, seed, index).
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[][] Tokens = [.. new[]
    {
        "\"", "{", "}", "[", "]", ",", ":", "\n", "\r\n", "\0", "=", "\\", "*", "**", "!", "#", "/", "[[", "]]",
        "99999999999999999999999999", "-1", "0", "1e308", "NaN", "null", "true", "\"\"", "\u00ff", "\ud7ff", "~zod",
        "data: ", "id: ", ": hb", "\n\n", "[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":{", "0x", "1979-05-27T07:32:00Z", "inf", "\t",
    }.Select(Encoding.UTF8.GetBytes), [0xff], [0xfe, 0xff], [0xc0, 0x80], [0x80], [0xed, 0xa0, 0x80]];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        var rounds = 1 + _random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            switch (_random.Next(9))
            {
                case 0 when data.Count > 0: // flip one bit
                    var i = _random.Next(data.Count);
                    data[i] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when data.Count > 0: // a random byte
                    data[_random.Next(data.Count)] = (byte)_random.Next(256);
                    break;
                case 2 when data.Count > 0: // truncate
                    var cut = _random.Next(data.Count + 1);
                    data.RemoveRange(cut, data.Count - cut);
                    break;
                case 3 when data.Count > 1: // delete a chunk
                    var start = _random.Next(data.Count);
                    data.RemoveRange(start, Math.Min(data.Count - start, 1 + _random.Next(16)));
                    break;
                case 4 when data.Count > 0: // duplicate a chunk
                    var from = _random.Next(data.Count);
                    var chunk = data.GetRange(from, Math.Min(data.Count - from, 1 + _random.Next(64)));
                    data.InsertRange(_random.Next(data.Count + 1), chunk);
                    break;
                case 5: // an interesting token
                    data.InsertRange(_random.Next(data.Count + 1), Tokens[_random.Next(Tokens.Length)]);
                    break;
                case 6 when corpus.Count > 0: // splice with another seed
                    var other = corpus[_random.Next(corpus.Count)];
                    if (other.Length == 0) break;
                    var o = _random.Next(other.Length);
                    data.InsertRange(_random.Next(data.Count + 1), other.AsSpan(o, Math.Min(other.Length - o, 1 + _random.Next(128))).ToArray());
                    break;
                case 7 when data.Count > 0: // set a byte to an edge value
                    data[_random.Next(data.Count)] = (byte)(_random.Next(3) switch { 0 => 0x00, 1 => 0xff, _ => 0x7f });
                    break;
                default: // random bytes
                    var bytes = new byte[1 + _random.Next(8)];
                    _random.NextBytes(bytes);
                    data.InsertRange(_random.Next(data.Count + 1), bytes);
                    break;
            }
        }
        return [.. data];
    }
}
