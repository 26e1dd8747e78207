using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Infrastructure.Storage;

/// <summary>A blob store that fails like a full disk.</summary>
public sealed class FullDiskApp : AtebApp
{
    private sealed class FullDisk : IBlobStore
    {
        public Task<string> PutAsync(Stream content, CancellationToken ct) => throw new IOException("No space left on device");
        public Task<Stream?> OpenAsync(string key, CancellationToken ct) => Task.FromResult<Stream?>(null);
        public Task DeleteAsync(string key, CancellationToken ct) => Task.CompletedTask;
        public IAsyncEnumerable<string> ListAsync(DateTimeOffset before, CancellationToken ct) => AsyncEnumerable.Empty<string>();
    }

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IBlobStore, FullDisk>());
    }
}

public sealed class BlobFailureTests(FullDiskApp app) : IClassFixture<FullDiskApp>
{
    [Fact]
    public async Task When_attachments_cannot_be_stored_nothing_is_written()
    {
        var ws = await app.CreateWorkspaceAsync();
        var attachment = new { fileName = "a.txt", contentType = "text/plain", contentBase64 = Convert.ToBase64String("hello"u8.ToArray()) };
        var create = await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject = "with file", requester = new { email = "disk@example.com" }, message = new { text = "see file", attachments = new[] { attachment } },
        });
        var inbound = await ws.Owner.PostAsJsonAsync("/api/v1/inbound-messages", new
        {
            channel = "email", externalId = "disk-1", from = new { kind = "email", value = "disk2@example.com" }, text = "file", threading = "new_ticket", attachments = new[] { attachment },
        });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, inbound.StatusCode);
        Assert.Equal("application/problem+json", create.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await ws.CountAsync<Ticket>());
        Assert.Equal(0, await ws.CountAsync<Customer>());
        Assert.Equal(0, await ws.CountAsync<Message>());
    }
}

public sealed class AttachmentSweeperTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task Blobs_no_attachment_points_at_are_removed_and_the_rest_kept()
    {
        var ws = await app.CreateWorkspaceAsync();
        var ticket = await (await ws.Owner.PostAsJsonAsync("/api/v1/tickets", new
        {
            subject = "kept", requester = new { name = "C" },
            message = new { text = "x", attachments = new[] { new { fileName = "keep.txt", contentType = "text/plain", contentBase64 = Convert.ToBase64String("keep"u8.ToArray()) } } },
        })).ReadAsync<TicketResponse>();
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        using var orphan = new MemoryStream("orphan"u8.ToArray());
        var orphanKey = await blobs.PutAsync(orphan, default);
        var removed = await app.Services.GetRequiredService<AttachmentSweeper>().SweepAsync(TimeSpan.FromSeconds(-5), default);
        Assert.True(removed >= 1);
        Assert.Null(await blobs.OpenAsync(orphanKey, default));
        var detail = await (await ws.Owner.GetAsync($"/api/v1/tickets/{ticket.Id}")).ReadAsync<TicketDetailResponse>();
        Assert.Equal(HttpStatusCode.OK, (await ws.Owner.GetAsync(detail.Messages[0].Attachments[0].Url)).StatusCode);
    }
}
