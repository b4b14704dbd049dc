namespace Isko.Engine.Archive.Crypto;

/// <summary>The archive key cannot be used: a wrong passphrase, a damaged key file. Never carries a secret.</summary>
public class ArchiveKeyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The passphrase does not open the key file: said once, before anything is written.</summary>
public sealed class WrongPassphraseException(string file)
    : ArchiveKeyException($"the passphrase does not open the archive key {file}: wrong [archive] passphrase (or the key file was altered)")
{
    public string File { get; } = file;
}
