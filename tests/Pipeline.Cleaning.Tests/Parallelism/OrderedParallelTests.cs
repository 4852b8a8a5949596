using Pipeline.Cleaning.NearDuplicates;
using Pipeline.Cleaning.Parallelism;
using Pipeline.Cleaning.Pii;

namespace Pipeline.Cleaning.Tests.Parallelism;

public sealed class OrderedParallelTests
{
    [Fact]
    public void Results_come_back_in_input_order()
    {
        var input = Enumerable.Range(0, 5000).ToArray();

        var output = OrderedParallel.Map(input, i => i * 3);

        Assert.Equal(input.Select(i => i * 3), output);
    }

    [Fact]
    public void Shared_detectors_give_the_same_results_on_many_threads_as_on_one()
    {
        var texts = Enumerable.Range(0, 400)
            .Select(i => $"Ticket {i}: mail user{i}@example.com or call +44 20 7946 {i % 10000:D4}. Regards, Tom Becker. Notes {i % 7} {i % 13} about shipping and billing for order {i}.")
            .ToArray();
        var scrubber = new PiiScrubber();
        var detector = new NearDuplicateDetector();

        var sequential = OrderedParallel.Map(texts, t => (scrubber.Scrub(t).Turns[0], detector.ComputeSignature(t)), maxDegreeOfParallelism: 1);
        var parallel = OrderedParallel.Map(texts, t => (scrubber.Scrub(t).Turns[0], detector.ComputeSignature(t)));

        Assert.Equal(sequential.Select(s => s.Item1), parallel.Select(p => p.Item1));
        Assert.All(Enumerable.Range(0, texts.Length), i => Assert.Equal(sequential[i].Item2, parallel[i].Item2));
        Assert.Equal("Ticket 0: mail <EMAIL> or call <PHONE>. Regards, <NAME>. Notes 0 0 about shipping and billing for order 0.", sequential[0].Item1);
    }

    [Fact]
    public void Zero_workers_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderedParallel.Map([1], i => i, maxDegreeOfParallelism: 0));
    }
}
