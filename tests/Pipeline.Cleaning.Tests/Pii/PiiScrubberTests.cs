using System.Text.Json;
using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Pii;

public sealed class PiiScrubberTests
{
    private readonly PiiScrubber scrubber = new();

    [Fact]
    public void Same_value_gets_the_same_numbered_placeholder_in_every_turn()
    {
        string[] turns =
        [
            "Hi Anna, my mail is anna.k@example.com",
            "Thanks! Write to Anna.K@example.com or bob@example.org. Regards, Tom Becker",
            "Tom will call back.",
        ];

        var result = this.scrubber.Scrub(turns);

        Assert.Equal("Hi <NAME_1>, my mail is <EMAIL_1>", result.Turns[0]);
        Assert.Equal("Thanks! Write to <EMAIL_1> or <EMAIL_2>. Regards, <NAME_2>", result.Turns[1]);
        Assert.Equal("<NAME_2> will call back.", result.Turns[2]); // "Tom" belongs to "Tom Becker"
        Assert.Equal(3, result.CountOf(PiiType.Email));
        Assert.Equal(3, result.CountOf(PiiType.Name));
        Assert.Equal(6, result.Total);
    }

    [Fact]
    public void A_type_with_one_distinct_value_gets_the_bare_tag()
    {
        var result = this.scrubber.Scrub(["Call +44 20 7946 0958.", "Yes, +44 20 7946 0958 (or +44-20-7946-0958) works."]);

        Assert.Equal("Call <PHONE>.", result.Turns[0]);
        Assert.Equal("Yes, <PHONE> (or <PHONE>) works.", result.Turns[1]);
    }

    [Fact]
    public void Url_credentials_are_replaced_and_scheme_and_host_kept()
    {
        var result = this.scrubber.Scrub("git clone https://deploy:Hunter2pass@git.example.com/repo.git");

        Assert.Equal("git clone https://<CREDENTIAL>@git.example.com/repo.git", result.Turns[0]);
    }

    [Fact]
    public void An_ip_host_behind_credentials_is_an_ip_of_its_own()
    {
        var result = this.scrubber.Scrub("DATABASE_URL=postgres://app:pw123@10.0.0.12:5432/orders");

        Assert.Equal("DATABASE_URL=postgres://<CREDENTIAL>@<IP>:5432/orders", result.Turns[0]);
    }

    [Fact]
    public void A_name_learned_from_a_later_signature_is_scrubbed_in_earlier_turns()
    {
        var result = this.scrubber.Scrub(["Zoltan asked about the refund.", "It is done.\nBest,\nZoltan"]);

        Assert.Equal("<NAME> asked about the refund.", result.Turns[0]);
        Assert.Equal("It is done.\nBest,\n<NAME>", result.Turns[1]);
    }

    [Fact]
    public void Results_hold_no_original_value()
    {
        string[] originals = ["anna@example.com", "4111 1111 1111 1111", "DE89 3704 0044 0532 0130 00", "192.168.10.77", "Okonkwo", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345", "s3cretPw"];
        var text = $"Dear Mr. {originals[4]}, mail {originals[0]}, card {originals[1]}, IBAN {originals[2]}, host {originals[3]}, key {originals[5]}, db postgres://app:{originals[6]}@db.example.com/x";

        var result = this.scrubber.Scrub([text, text]);
        var everything = JsonSerializer.Serialize(result) + result + string.Join("", result.Turns);

        Assert.All(originals, original => Assert.DoesNotContain(original, everything));
        Assert.Equal(
            "Dear Mr. <NAME>, mail <EMAIL>, card <CARD>, IBAN <IBAN>, host <IP>, key <SECRET>, db postgres://<CREDENTIAL>@db.example.com/x",
            result.Turns[1]);
    }

    [Fact]
    public void Disabled_types_are_left_in_place()
    {
        var scrubber = new PiiScrubber(new PiiOptions { EnabledTypes = [PiiType.Email] });

        var result = scrubber.Scrub("Anna at anna@example.com, 10.0.0.1");

        Assert.Equal("Anna at <EMAIL>, 10.0.0.1", result.Turns[0]);
    }

    [Fact]
    public void Configured_names_replace_the_default_list()
    {
        var scrubber = new PiiScrubber(new PiiOptions { PersonNames = ["Quentin"], DiscoverNamesFromGreetingsAndSignatures = false });

        Assert.Equal("<NAME> met Anna.", scrubber.Scrub("Quentin met Anna.").Turns[0]);
    }

    [Fact]
    public void Names_need_no_list_a_gazetteer_pair_or_a_cue_is_enough()
    {
        var scrubber = new PiiScrubber(new PiiOptions { PersonNames = [] });

        Assert.Equal("I spoke with <NAME> yesterday.", scrubber.Scrub("I spoke with Lucía Fernández yesterday.").Turns[0]);
        Assert.Equal("Je m'appelle <NAME>.", scrubber.Scrub("Je m'appelle Saoirse Achterberg.").Turns[0]);
        Assert.Equal("Mit freundlichen Grüßen\n<NAME>", scrubber.Scrub("Mit freundlichen Grüßen\nZoltan Szabo").Turns[0]);
        Assert.Equal("Sehr geehrte Frau <NAME>,", scrubber.Scrub("Sehr geehrte Frau Haverkamp,").Turns[0]);
    }

    [Fact]
    public void A_name_that_is_also_a_word_counts_only_where_a_cue_or_a_surname_makes_it_a_name()
    {
        var result = this.scrubber.Scrub(["Will you send it before May?", "Sure, it ships today.\nRegards,\nWill", "Will Smith ordered the Rose Gold case."]);

        Assert.Equal("Will you send it before May?", result.Turns[0]);
        // "Will" alone belongs to the one full name "Will Smith", so they share a placeholder (see PlaceholderAssigner).
        Assert.Equal("Sure, it ships today.\nRegards,\n<NAME>", result.Turns[1]);
        Assert.Equal("<NAME> ordered the Rose Gold case.", result.Turns[2]);
    }

    [Fact]
    public void Surrogate_names_are_consistent_within_an_example_and_across_examples()
    {
        var scrubber = new PiiScrubber(new PiiOptions { NameReplacement = NameReplacement.Surrogate, SurrogateSeed = 7 });
        string[] turns =
        [
            "Hi, this is Anna Nakamura. My order never arrived.\nRegards,\nAnna Nakamura",
            "Hello Anna, I am sorry. Mr. Nakamura, Tom Becker sent a new parcel.\n— Support Team",
        ];

        var first = scrubber.Scrub(turns);
        var again = scrubber.Scrub([turns[0] + " Thanks!", turns[1]]);

        var match = System.Text.RegularExpressions.Regex.Match(first.Turns[0], @"^Hi, this is (\p{Lu}\p{Ll}+) (\p{Lu}\p{Ll}+)\. My order never arrived\.\nRegards,\n\1 \2$");
        Assert.True(match.Success, first.Turns[0]);
        string given = match.Groups[1].Value, surname = match.Groups[2].Value;
        Assert.Contains(given, NameGazetteer.GivenNames);
        Assert.Contains(surname, NameGazetteer.Surnames);
        Assert.StartsWith($"Hello {given}, I am sorry. Mr. {surname}, ", first.Turns[1]);
        Assert.EndsWith(" sent a new parcel.\n— Support Team", first.Turns[1]);
        Assert.DoesNotContain("Tom Becker", first.Turns[1]);
        Assert.DoesNotContain($"{given} {surname} sent", first.Turns[1]); // another person, another surrogate
        Assert.Equal(first.Turns[0] + " Thanks!", again.Turns[0]);
        Assert.Equal(first.Turns[1], again.Turns[1]);
        Assert.All(new[] { "Anna", "Nakamura", "Becker" }, real => Assert.DoesNotContain(real, string.Join("\n", first.Turns)));
        Assert.Equal(5, first.CountOf(PiiType.Name));
    }

    [Fact]
    public void Invalid_options_name_the_option_and_range()
    {
        var error = Assert.Throws<InvalidCleaningOptionException>(() => new PiiScrubber(new PiiOptions { SecretEntropyThreshold = 9 }));
        Assert.Equal("PiiOptions.SecretEntropyThreshold", error.Option);
        Assert.Contains("(0, 7]", error.Message);

        var nameError = Assert.Throws<InvalidCleaningOptionException>(() => new PiiOptions { PersonNames = ["Anna", " "] }.Validate());
        Assert.Equal("PiiOptions.PersonNames[1]", nameError.Option);

        var typeError = Assert.Throws<InvalidCleaningOptionException>(() => new PiiOptions { EnabledTypes = [(PiiType)42] }.Validate());
        Assert.Contains("Email, Phone", typeError.Message);
    }

    [Fact]
    public void A_null_turn_is_rejected_by_position()
    {
        var error = Assert.Throws<ArgumentException>(() => this.scrubber.Scrub(["fine", null!]));

        Assert.Contains("Turn 1 of 2", error.Message);
    }
}
