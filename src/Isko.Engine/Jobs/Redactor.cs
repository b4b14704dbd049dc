using System.Text.RegularExpressions;

namespace Isko.Engine.Jobs;

/// <summary>
/// The guard that keeps secrets out of logs and off the screen: every secret value the
/// configuration holds (+code, S3 keys, passphrase) is replaced wherever it appears, and so is
/// anything shaped like one even if nobody registered it: a +code (four six-letter words, no
/// <c>~</c>), an Eyre cookie, an AWS key id or secret, and the value after password=, +code: etc.
/// It errs on the side of hiding: a moon's name written without its <c>~</c> looks like a +code.
/// </summary>
public sealed partial class Redactor
{
    public const string Mask = "[redacted]";

    private readonly Lock _gate = new();
    private string[] _secrets = [];

    /// <summary>Adds a value never to show (trimmed; values under 4 characters are ignored as too common).</summary>
    public void AddSecret(string? secret)
    {
        var value = secret?.Trim();
        if (value is null || value.Length < 4)
            return;
        lock (_gate)
            if (!_secrets.Contains(value))
                _secrets = [.. _secrets.Append(value).OrderByDescending(s => s.Length)];
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        foreach (var secret in _secrets)
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        text = Cookie().Replace(text, m => m.Groups["name"].Value + Mask);
        text = Labelled().Replace(text, m => m.Groups["label"].Value + Mask);
        text = PlusCode().Replace(text, Mask);
        text = AwsKeyId().Replace(text, Mask);
        text = AwsSecret().Replace(text, Mask);
        return text;
    }

    /// <summary><c>urbauth-~zod=0v…</c> in a Cookie or Set-Cookie header.</summary>
    [GeneratedRegex(@"(?<name>urbauth-~[a-z-]+=)[^;\s""']+")]
    private static partial Regex Cookie();

    /// <summary>A value after a label that names a secret: <c>password=x</c>, <c>"+code": "x"</c>, <c>Authorization: Bearer x</c>.</summary>
    [GeneratedRegex(@"(?<label>(?:\+code|password|passphrase|passwd|secret[_-]?(?:access[_-]?)?key|access[_-]?key[_-]?id|authorization|cookie)[""']?\s*[:=]\s*[""']?(?:bearer\s+|basic\s+)?)[^\s""',;}]+",
        RegexOptions.IgnoreCase)]
    private static partial Regex Labelled();

    /// <summary>A +code: four @p syllable pairs, <c>lidlut-tabwed-pillex-ridrup</c>, not preceded by <c>~</c>.</summary>
    [GeneratedRegex(@"(?<![~\w-])[a-z]{6}(?:-[a-z]{6}){3}(?![\w-])")]
    private static partial Regex PlusCode();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")]
    private static partial Regex AwsKeyId();

    /// <summary>40 characters of base64 with upper and lower case (hex hashes have no upper case).</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+=]{0,39}[A-Z])(?=[A-Za-z0-9/+=]{0,39}[a-z])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])")]
    private static partial Regex AwsSecret();
}
