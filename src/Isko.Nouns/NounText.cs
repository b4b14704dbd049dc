using System.Text;

namespace Isko.Nouns;

/// <summary>Hoon-like text for a noun (<c>[1 2 3]</c>), built without recursion and cut at a budget.</summary>
internal static class NounText
{
    private const int MaxDecimalBytes = 64;

    public static string Render(Noun noun, int maxChars)
    {
        var text = new StringBuilder();
        // Items are nouns to print (inTail: inside an open bracket, print without a new one) or literal text.
        var stack = new Stack<(Noun? Noun, bool InTail, string? Text)>();
        stack.Push((noun, false, null));
        while (stack.TryPop(out var item))
        {
            if (text.Length > maxChars)
            {
                text.Append('…');
                break;
            }
            if (item.Text is not null)
            {
                text.Append(item.Text);
                continue;
            }
            var n = item.Noun!;
            if (n is Atom atom)
            {
                AppendAtom(text, atom);
                continue;
            }
            if (!item.InTail)
            {
                text.Append('[');
                stack.Push((null, false, "]"));
            }
            stack.Push((n.Tail, true, null));
            stack.Push((null, false, " "));
            stack.Push((n.Head, false, null));
        }
        return text.ToString();
    }

    private static void AppendAtom(StringBuilder text, Atom atom)
    {
        if (atom.Bytes.Length > MaxDecimalBytes)
            text.Append("<atom of ").Append(atom.BitLength).Append(" bits>");
        else
            text.Append(atom.ToBigIntegerValue());
    }
}
