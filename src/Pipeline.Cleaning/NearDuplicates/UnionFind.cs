namespace Pipeline.Cleaning.NearDuplicates;

/// <summary>Disjoint sets over 0..n−1 with path halving and union by size.</summary>
public sealed class UnionFind
{
    private readonly int[] parent;
    private readonly int[] size;

    public UnionFind(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        parent = new int[count];
        this.size = new int[count];
        for (var i = 0; i < count; i++)
        {
            parent[i] = i;
            this.size[i] = 1;
        }
    }

    public int Count => parent.Length;

    public int Find(int element)
    {
        while (parent[element] != element)
        {
            parent[element] = parent[parent[element]];
            element = parent[element];
        }
        return element;
    }

    /// <summary>Joins the sets of both elements; false when they were already one set.</summary>
    public bool Union(int left, int right)
    {
        var a = Find(left);
        var b = Find(right);
        if (a == b)
            return false;
        if (this.size[a] < this.size[b])
            (a, b) = (b, a);
        parent[b] = a;
        this.size[a] += this.size[b];
        return true;
    }

    public bool Connected(int left, int right) => Find(left) == Find(right);

    public int SizeOf(int element) => this.size[Find(element)];

    /// <summary>Every set with more than one element, each as its members in ascending order.</summary>
    public List<List<int>> Groups(int minimumSize = 2)
    {
        var byRoot = new Dictionary<int, List<int>>();
        for (var i = 0; i < parent.Length; i++)
        {
            if (SizeOf(i) < minimumSize)
                continue;
            var root = Find(i);
            if (!byRoot.TryGetValue(root, out var members))
                byRoot[root] = members = [];
            members.Add(i);
        }
        return [.. byRoot.Values];
    }
}
