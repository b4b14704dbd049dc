using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Isko.Benchmarks;

/// <summary>
/// A "Bytes" column for the terminal UI benchmarks: the UTF-8 bytes a scenario (named by the
/// benchmark method, of the benchmark class given) sends to the terminal at 120x40, measured once
/// and deterministically. A negative count shows as "-".
/// </summary>
public sealed class FrameBytesColumn(string id, Func<Type, string, int> bytesFor) : IColumn
{
    public string Id => id;
    public string ColumnName => "Bytes";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Size;
    public string Legend => "UTF-8 bytes written to the terminal for this change at 120x40";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var bytes = bytesFor(benchmarkCase.Descriptor.Type, benchmarkCase.Descriptor.WorkloadMethod.Name);
        return bytes < 0 ? "-" : bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
}
