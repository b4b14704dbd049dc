using System.Numerics;
using System.Text;
using Isko.Nouns.Auras;

namespace Isko.Nouns.Tests;

public class AuraTests
{
    [Theory]
    [InlineData(0x101, 0x42081a9bu)]
    [InlineData(0x201, 0x64c7667eu)]
    [InlineData(0x4812, 0xa30782dcu)]
    public void Muk_is_murmur3_of_two_bytes(int key, uint expected) =>
        Assert.Equal(expected, Scramble.Muk(0, (ushort)key));

    [Fact]
    public void Fein_and_fynd_are_inverse_over_planets_and_moons()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var planet = (ulong)random.NextInt64(0x1_0000, 0x1_0000_0000);
            var scrambled = Scramble.Fein(planet);
            Assert.InRange(scrambled, 0x1_0000UL, 0xffff_ffffUL);
            Assert.Equal(planet, Scramble.Fynd(scrambled));
            var moon = (ulong)random.NextInt64() | 0x1_0000_0000;
            Assert.Equal(moon, Scramble.Fynd(Scramble.Fein(moon)));
            Assert.Equal(moon >> 32, Scramble.Fein(moon) >> 32);
        }
        // The cycle-walking edge: the top of the planet range.
        foreach (var edge in new ulong[] { 0x1_0000, 0xffff_fffe, 0xffff_ffff })
            Assert.Equal(edge, Scramble.Fynd(Scramble.Fein(edge)));
    }

    [Fact]
    public void Galaxies_and_stars_are_not_scrambled()
    {
        Assert.Equal(255UL, Scramble.Fein(255UL));
        Assert.Equal(65535UL, Scramble.Fein(65535UL));
        var comet = BigInteger.One << 100;
        Assert.Equal(comet, Scramble.Fein(comet));
    }

    [Theory]
    [InlineData("~zod", ShipClass.Galaxy)]
    [InlineData("~marzod", ShipClass.Star)]
    [InlineData("~sampel-palnet", ShipClass.Planet)]
    [InlineData("~doznec-dozzod-dozzod", ShipClass.Moon)]
    [InlineData("~fipfes-fipfes-dostec-risfen", ShipClass.Moon)]
    [InlineData("~doznec--dozzod-dozzod-dozzod-dozzod", ShipClass.Comet)]
    public void Every_ship_class_round_trips(string name, ShipClass clan)
    {
        var ship = PatP.Parse(name);
        Assert.Equal(clan, PatP.Clan(ship));
        Assert.Equal(name, PatP.Render(ship));
    }

    [Fact]
    public void Random_ships_of_every_size_round_trip()
    {
        var random = new Random(11);
        for (var bytes = 1; bytes <= 17; bytes++)
        {
            for (var i = 0; i < 200; i++)
            {
                var raw = new byte[bytes];
                random.NextBytes(raw);
                var ship = new BigInteger(raw, isUnsigned: true);
                var name = PatP.Render(ship);
                Assert.True(PatP.TryParse(name, out var back), name);
                Assert.Equal(ship, back);
            }
        }
    }

    [Theory]
    [InlineData("~dozzod")]                  // 0 written as a star
    [InlineData("~dozzod-dozzod")]            // leading zero words
    [InlineData("zod")]                       // no ~
    [InlineData("~Zod")]
    [InlineData("~zo")]
    [InlineData("~zodnec")]                   // a suffix where a prefix belongs
    [InlineData("~marzod-")]
    [InlineData("~sampel--palnet")]
    [InlineData("~sampelpalnet")]
    [InlineData("~doznec-dozzod-dozzod-dozzod-dozzod")] // a comet needs "--" before the 5th word from the right
    [InlineData("~zod-zod")]
    [InlineData("")]
    public void PatP_parse_rejects_non_canonical_names(string text)
    {
        Assert.False(PatP.TryParse(text, out _));
        var e = Assert.Throws<AuraParseException>(() => PatP.Parse(text));
        Assert.Contains("expected '~' and a ship name", e.Message);
    }

    [Theory]
    [InlineData("~2000-.1.1")]
    [InlineData("~1-.1.1")]
    [InlineData("~1-.12.31..23.59.59")]
    [InlineData("~1.1.1")]
    [InlineData("~2024.2.29")]
    [InlineData("~1600.2.29")]
    [InlineData("~2024.1.2..03.04.05..abcd")]
    [InlineData("~2000.1.1..00.00.00..0000.0000.0000.0001")]
    [InlineData("~292277024400-.1.1")] // the very start: @da 0
    public void PatDa_round_trips(string text) =>
        Assert.Equal(text, PatDa.Render(PatDa.Parse(text)));

    [Fact]
    public void PatDa_zero_is_the_start_of_the_count() =>
        Assert.Equal("~292277024401-.1.1", PatDa.Render(BigInteger.Zero));

    [Theory]
    [InlineData("~2000.01.01")]
    [InlineData("~2000.2.30")]
    [InlineData("~1900.2.29")]
    [InlineData("~2000.0.1")]
    [InlineData("~2000.13.1")]
    [InlineData("~2000.1.0")]
    [InlineData("~0.1.1")]
    [InlineData("~2000.1.1..0.0.0")]
    [InlineData("~2000.1.1..24.00.00")]
    [InlineData("~2000.1.1..00.00.00..ABCD")]
    [InlineData("~2000.1.1..00.00.00..abc")]
    [InlineData("~2000.1.1..00.00.00..")]
    [InlineData("~2000.1.1..")]
    [InlineData("2000.1.1")]
    [InlineData("~2000.1")]
    public void PatDa_parse_rejects_bad_dates(string text)
    {
        Assert.False(PatDa.TryParse(text, out _));
        var e = Assert.Throws<AuraParseException>(() => PatDa.Parse(text));
        Assert.Contains("expected ~Y.M.D", e.Message);
    }

    [Fact]
    public void PatDa_unix_milliseconds_before_1970_floor_and_round_back()
    {
        Assert.Equal("~1969.12.31..23.59.59", PatDa.Render(PatDa.FromUnixMilliseconds(-1000)));
        Assert.Equal(-1000, PatDa.ToUnixMilliseconds(PatDa.FromUnixMilliseconds(-1000)));
        Assert.Equal(-1, PatDa.ToUnixMilliseconds(PatDa.FromUnixMilliseconds(-1)));
        var random = new Random(3);
        for (var i = 0; i < 1000; i++)
        {
            var ms = random.NextInt64(-100_000_000_000_000, 100_000_000_000_000);
            Assert.Equal(ms, PatDa.ToUnixMilliseconds(PatDa.FromUnixMilliseconds(ms)));
        }
    }

    [Fact]
    public void PatDa_matches_the_calendar_of_DateTimeOffset()
    {
        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var time = new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks), TimeSpan.Zero);
            var da = PatDa.FromDateTimeOffset(time);
            Assert.Equal(time, PatDa.ToDateTimeOffset(da));
            var text = PatDa.Render(da);
            var expected = $"~{time.Year}.{time.Month}.{time.Day}";
            Assert.StartsWith(expected, text);
            Assert.Equal(da, PatDa.Parse(text));
        }
    }

    [Theory]
    [InlineData("~d1.h2.m3.s4")]
    [InlineData("~d1234.h23.m59.s59..0000.ffff")]
    [InlineData("~s0..8000")]
    [InlineData("~m1")]
    [InlineData("~d365")]
    public void PatDr_round_trips(string text) => Assert.Equal(text, PatDr.Render(PatDr.Parse(text)));

    [Fact]
    public void PatDr_reads_out_of_range_units_as_written() =>
        Assert.Equal(PatDr.FromSeconds(5400), PatDr.Parse("~m90"));

    [Theory]
    [InlineData("~s01")]
    [InlineData("~h1.d1")]
    [InlineData("~m1.m1")]
    [InlineData("~x1")]
    [InlineData("~")]
    [InlineData("~h")]
    [InlineData("s1")]
    [InlineData("~s1..")]
    [InlineData("~s1.")]
    public void PatDr_parse_rejects_bad_durations(string text)
    {
        Assert.False(PatDr.TryParse(text, out _));
        Assert.Throws<AuraParseException>(() => PatDr.Parse(text));
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("999", 999UL)]
    [InlineData("1.000", 1000UL)]
    [InlineData("1.000.000", 1_000_000UL)]
    [InlineData("18.446.744.073.709.551.615", ulong.MaxValue)]
    public void PatUd_groups_by_three(string text, ulong value)
    {
        Assert.Equal(text, PatUd.Render(value));
        Assert.Equal(new BigInteger(value), PatUd.Parse(text));
    }

    [Fact]
    public void PatUd_and_PatUv_round_trip_big_atoms()
    {
        var value = BigInteger.Pow(10, 45) + 7;
        Assert.Equal("1." + string.Concat(Enumerable.Repeat("000.", 14)) + "007", PatUd.Render(value));
        Assert.Equal(value, PatUd.Parse(PatUd.Render(value)));
        var random = new Random(9);
        for (var i = 0; i < 500; i++)
        {
            var raw = new byte[random.Next(1, 40)];
            random.NextBytes(raw);
            var atom = new BigInteger(raw, isUnsigned: true);
            Assert.Equal(atom, PatUd.Parse(PatUd.Render(atom)));
            Assert.Equal(atom, PatUv.Parse(PatUv.Render(atom)));
        }
    }

    [Theory]
    [InlineData("01")]
    [InlineData("1000")]
    [InlineData("1.00")]
    [InlineData("1,000")]
    [InlineData(".100")]
    [InlineData("")]
    [InlineData("-1")]
    public void PatUd_parse_rejects_bad_numbers(string text)
    {
        Assert.False(PatUd.TryParse(text, out _));
        Assert.Contains("groups of three", Assert.Throws<AuraParseException>(() => PatUd.Parse(text)).Message);
    }

    [Theory]
    [InlineData("0v01")]
    [InlineData("0v")]
    [InlineData("0vw")]
    [InlineData("0v1.0000")]
    [InlineData("0v100000")]
    [InlineData("0x1")]
    public void PatUv_parse_rejects_bad_numbers(string text) => Assert.False(PatUv.TryParse(text, out _));

    [Theory]
    [InlineData("pals", true, true)]
    [InlineData("my-app2", true, true)]
    [InlineData("2app", true, false)]
    [InlineData("App", false, false)]
    [InlineData("a.b~c_d", true, false)]
    [InlineData("a b", false, false)]
    [InlineData("", true, false)]
    [InlineData("-", true, false)]
    public void Knots_and_terms(string text, bool knot, bool term)
    {
        Assert.Equal(knot, Cords.IsValidTa(text));
        Assert.Equal(term, Cords.IsValidTas(text));
    }

    [Fact]
    public void Cords_are_valid_utf8()
    {
        Assert.True(Cords.IsValidT(Encoding.UTF8.GetBytes("héllo ~zod")));
        Assert.False(Cords.IsValidT([0xff, 0xfe]));
        Assert.False(Cords.IsValidT([0xc3]));
    }
}
