using Pipeline.Artifacts.State;
using Pipeline.Artifacts.Tests.Support;

namespace Pipeline.Artifacts.Tests.Artifacts;

public sealed class StorageConnectionStringTests
{
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const string Azurite = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AzuriteKey +
                                   ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

    [Theory]
    [InlineData("/data/artifacts", "/data/artifacts")]
    [InlineData("./artifacts", "./artifacts")]
    [InlineData("artifacts", "artifacts")]
    [InlineData("file:///data/artifacts", "/data/artifacts")]
    [InlineData("file://./artifacts", "./artifacts")]
    [InlineData("file:///data/my%20artifacts", "/data/my artifacts")]
    [InlineData("  /data/artifacts  ", "/data/artifacts")]
    public void Paths_and_file_uris_are_local_folders(string text, string path) =>
        Assert.Equal(new StorageConnectionString.LocalFolder(path), StorageConnectionString.Parse(text));

    [Fact]
    public void Container_name_segment_is_removed_before_the_azure_sdk_sees_it()
    {
        var parsed = Assert.IsType<StorageConnectionString.AzureBlob>(
            StorageConnectionString.Parse("ContainerName=my-artifacts;" + Azurite));
        Assert.Equal("my-artifacts", parsed.ContainerName);
        Assert.Equal(Azurite, parsed.AzureConnectionString);
        Assert.DoesNotContain("ContainerName", parsed.AzureConnectionString);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net")]
    [InlineData("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2024&sig=abc")]
    public void Azure_connection_strings_are_blob_storage_without_a_container_by_default(string text)
    {
        var parsed = Assert.IsType<StorageConnectionString.AzureBlob>(StorageConnectionString.Parse(text));
        Assert.Null(parsed.ContainerName);
        Assert.Equal(text.TrimEnd(';') + ";", parsed.AzureConnectionString);
    }

    [Theory]
    [InlineData("s3://bucket/artifacts", "the scheme 's3://' is not supported")]
    [InlineData("Server=db;Database=x", "none of UseDevelopmentStorage=, AccountName=, BlobEndpoint=")]
    [InlineData("file://", "has no path")]
    [InlineData("   ", "empty")]
    public void Unrecognised_strings_say_which_forms_are_accepted(string text, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => StorageConnectionString.Parse(text));
        Assert.Contains(problem, error.Message);
        Assert.Contains(StorageConnectionString.AcceptedForms, error.Message);
    }

    [Fact]
    public void Account_keys_never_appear_in_errors()
    {
        var error = Assert.Throws<ArgumentException>(() => StorageConnectionString.Parse("Foo=1;AccountKey=" + AzuriteKey));
        Assert.DoesNotContain(AzuriteKey, error.Message);
        Assert.Contains("AccountKey=***", error.Message);
    }

    [Theory]
    [InlineData("Ab", "3 to 63")]
    [InlineData("Has_Upper", "only lowercase letters")]
    [InlineData("-abc", "starts or ends with '-'")]
    [InlineData("a--b", "contains '--'")]
    public void Bad_container_names_are_named(string name, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => StorageConnectionString.Parse($"UseDevelopmentStorage=true;ContainerName={name}"));
        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Factory_gives_a_local_store_rooted_at_the_path()
    {
        using var temp = new TempFolder();
        var store = Assert.IsType<LocalFolderArtifactStore>(ArtifactStoreFactory.Create("file://" + temp.Path));
        Assert.Equal(temp.Path, store.RootDirectory);
    }

    [Fact]
    public void Factory_gives_a_blob_store_on_the_default_container_without_contacting_storage()
    {
        var store = Assert.IsType<BlobArtifactStore>(ArtifactStoreFactory.Create("UseDevelopmentStorage=true"));
        Assert.Equal("artifacts", store.Container.Name);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/artifacts", store.Container.Uri.ToString());
        var named = Assert.IsType<BlobArtifactStore>(ArtifactStoreFactory.Create(Azurite + "ContainerName=models;"));
        Assert.Equal("models", named.Container.Name);
    }

    [Fact]
    public void Document_store_factory_uses_a_subfolder_or_the_given_container()
    {
        using var temp = new TempFolder();
        var local = Assert.IsType<LocalFolderDocumentStore>(DocumentStoreFactory.Create(temp.Path, "pipeline-state"));
        Assert.Equal(Path.Combine(temp.Path, "pipeline-state"), local.RootDirectory);

        var blob = Assert.IsType<BlobDocumentStore>(DocumentStoreFactory.Create(Azurite + "ContainerName=artifacts;", "pipeline-state"));
        Assert.Equal("pipeline-state", blob.Container.Name);
        Assert.Throws<ArgumentException>(() => DocumentStoreFactory.Create(temp.Path, "Bad Name"));
    }
}
