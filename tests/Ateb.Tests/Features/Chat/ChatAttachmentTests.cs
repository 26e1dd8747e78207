using System.Net;
using System.Net.Http.Headers;
using Ateb.Features.Agents;
using Ateb.Features.Chat;
using Ateb.Tests.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Tests.Features.Chat;

/// <summary>
/// Files in a chat, both ways: the visitor's through the widget's upload endpoint, the agent's through
/// POST /api/v1/chats/{id}/attachments; each side gets the message live and can open the file, nobody else can.
/// </summary>
public sealed class ChatAttachmentTests(ChatApp app) : IClassFixture<ChatApp>
{
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    private static MultipartFormDataContent Form(byte[] bytes, string name, string contentType, string? clientId, string? text = null, string? isNote = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", name);
        if (clientId is not null)
        {
            form.Add(new StringContent(clientId), "clientId");
        }
        if (text is not null)
        {
            form.Add(new StringContent(text), "text");
        }
        if (isNote is not null)
        {
            form.Add(new StringContent(isNote), "isNote");
        }
        return form;
    }

    private static HttpRequestMessage AsVisitor(HttpMethod method, string url, string token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task An_agent_sends_a_file_the_visitor_gets_it_live_and_only_they_can_open_it()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = await ws.SlugAsync();
        var (client, seat) = await ws.AddAgentAsync(Role.Agent);
        await using var agent = await ChatTesting.AgentAsync(app, client, seat);
        var (_, token) = await ChatTesting.NewVisitorAsync(app, ws);
        await using var visitor = await ChatTesting.VisitorAsync(app, ws, token);
        await visitor.HelloAsync();
        var sent = await visitor.SendAsync("Can you send me the invoice?");
        var offer = await agent.Offers.NextAsync(o => o.ConversationId == sent.Conversation.Id);
        var chat = (await agent.Connection.InvokeAsync<ChatDetail>("Accept", offer.ConversationId)).Chat;

        var clientId = Guid.NewGuid().ToString();
        var response = await client.PostAsync($"/api/v1/chats/{chat.Id}/attachments", Form(Pdf, "invoice 1043.pdf", "application/pdf", clientId, "Here it is."));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await response.ReadAsync<ChatMessageView>();
        Assert.Equal(ChatAuthor.Agent, message.Author);
        Assert.Equal("Here it is.", message.Text);
        var file = Assert.Single(message.Attachments);
        Assert.Equal("invoice 1043.pdf", file.FileName);
        Assert.Equal(Pdf.Length, file.Size);

        // The visitor hears it at once, with an address of their own to open it.
        var received = await visitor.Messages.NextAsync(m => m.Id == message.Id);
        var theirs = Assert.Single(received.Attachments);
        Assert.Equal($"/api/v1/chat/{slug}/attachments/{file.Id}", theirs.Url);
        using var visitorHttp = app.CreateClient();
        var download = await visitorHttp.SendAsync(AsVisitor(HttpMethod.Get, theirs.Url, token));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());

        // The same client id again is the same message, not a second file.
        var again = await client.PostAsync($"/api/v1/chats/{chat.Id}/attachments", Form(Pdf, "invoice 1043.pdf", "application/pdf", clientId, "Here it is."));
        Assert.Equal(message.Id, (await again.ReadAsync<ChatMessageView>()).Id);
        Assert.Equal(1, await ws.DbAsync(db => db.Attachments.CountAsync(a => a.MessageId == message.Id)));

        // Another visitor, without a token, or with a token of theirs: not found / unauthorized.
        var (_, stranger) = await ChatTesting.NewVisitorAsync(app, ws, "Stranger");
        Assert.Equal(HttpStatusCode.NotFound, (await visitorHttp.SendAsync(AsVisitor(HttpMethod.Get, theirs.Url, stranger))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await visitorHttp.GetAsync(theirs.Url)).StatusCode);

        // A file as a note stays with the agents: the visitor hears nothing and cannot open it.
        var note = await (await client.PostAsync($"/api/v1/chats/{chat.Id}/attachments",
            Form("internal"u8.ToArray(), "warehouse.txt", "text/plain", Guid.NewGuid().ToString(), isNote: "true"))).ReadAsync<ChatMessageView>();
        Assert.True(note.IsNote);
        var noteFile = Assert.Single(note.Attachments);
        Assert.Equal(HttpStatusCode.NotFound,
            (await visitorHttp.SendAsync(AsVisitor(HttpMethod.Get, $"/api/v1/chat/{slug}/attachments/{noteFile.Id}", token))).StatusCode);
        await visitor.Connection.InvokeAsync("Marks", new MarkRequest(message.Id, message.Id));
        Assert.False(visitor.Messages.TryTake(out var leaked) && leaked.Id == note.Id, "the visitor received the note");
    }

    [Fact]
    public async Task The_visitor_uploads_a_file_and_the_agent_gets_it_live()
    {
        var ws = await app.CreateWorkspaceAsync();
        var slug = await ws.SlugAsync();
        var (client, seat) = await ws.AddAgentAsync(Role.Agent);
        await using var agent = await ChatTesting.AgentAsync(app, client, seat);
        var (_, token) = await ChatTesting.NewVisitorAsync(app, ws);
        await using var visitor = await ChatTesting.VisitorAsync(app, ws, token);
        await visitor.HelloAsync();
        var sent = await visitor.SendAsync("The label is torn, photo attached");
        var offer = await agent.Offers.NextAsync(o => o.ConversationId == sent.Conversation.Id);
        var chat = (await agent.Connection.InvokeAsync<ChatDetail>("Accept", offer.ConversationId)).Chat;

        using var visitorHttp = app.CreateClient();
        var upload = await visitorHttp.SendAsync(AsVisitor(HttpMethod.Post, $"/api/v1/chat/{slug}/attachments", token,
            Form(Pdf, "label.pdf", "application/pdf", Guid.NewGuid().ToString())));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var result = await upload.ReadAsync<ChatSendResult>();
        var heard = await agent.Messages.NextAsync(m => m.Id == result.Message.Id);
        var file = Assert.Single(heard.Attachments);
        Assert.Equal("label.pdf", file.FileName);
        // Agents open it through the workspace's own attachment address.
        var download = await client.GetAsync(file.Url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(chat.Id, result.Conversation.Id);
    }

    [Fact]
    public async Task Bad_agent_uploads_are_problems_naming_the_field_and_other_workspaces_chats_are_not_found()
    {
        var ws = await app.CreateWorkspaceAsync();
        var (client, seat) = await ws.AddAgentAsync(Role.Agent);
        await using var agent = await ChatTesting.AgentAsync(app, client, seat);
        await using var visitor = await ChatTesting.VisitorAsync(app, ws);
        await visitor.HelloAsync();
        var sent = await visitor.SendAsync("Hello there");
        var offer = await agent.Offers.NextAsync(o => o.ConversationId == sent.Conversation.Id);
        var chat = (await agent.Connection.InvokeAsync<ChatDetail>("Accept", offer.ConversationId)).Chat;
        var url = $"/api/v1/chats/{chat.Id}/attachments";

        foreach (var (content, field) in new (HttpContent Content, string Field)[]
        {
            (new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), "file"),
            (Form(Pdf, "a.pdf", "application/pdf", clientId: null), "clientId"),
            (Form([], "empty.pdf", "application/pdf", "c1"), "file"),
            (Form(Pdf, "a.pdf", "application/pdf", "c2", text: new string('x', ChatOptions.MaxText + 1)), "text"),
            (Form(Pdf, "a.pdf", "application/pdf", "c3", isNote: "perhaps"), "isNote"),
        })
        {
            var bad = await client.PostAsync(url, content);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
            Assert.True((await bad.ProblemAsync()).GetProperty("errors").TryGetProperty(field, out _), field);
        }

        // An agent of another workspace: the chat does not exist for them, and nothing was stored.
        var other = await app.CreateWorkspaceAsync();
        var foreign = await other.Owner.PostAsync(url, Form(Pdf, "a.pdf", "application/pdf", "c4"));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(0, await ws.DbAsync(db => db.Attachments.CountAsync()));

        // After the end, a file is for the ticket, not the chat.
        await visitor.Connection.InvokeAsync<ChatConversationView>("End");
        var late = await client.PostAsync(url, Form(Pdf, "a.pdf", "application/pdf", "c5"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }
}
