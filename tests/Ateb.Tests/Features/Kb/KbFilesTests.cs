using Ateb.Features.Kb;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ateb.Tests.Features.Kb;

/// <summary>Images and files of articles: upload limits, what is served to whom and how, and the Markdown that refers to them.</summary>
public sealed class KbFilesTests(AtebApp app) : IClassFixture<AtebApp>
{
    [Fact]
    public async Task An_uploaded_image_is_referred_to_from_Markdown_and_served_to_agents_and_readers_with_safe_headers()
    {
        var ws = await app.CreateWorkspaceAsync();
        var host = await ws.SetHostAsync($"help-{Guid.NewGuid():N}.files.test");
        var article = await ws.ArticleAsync("Resetting the router", "Hold the button.");
        var png = KbTesting.Png();

        var created = await ws.Owner.UploadAsync(article.Id, "Router back (1).PNG", png, "image/png");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var file = await created.ReadAsync<KbFileResponse>();
        Assert.Equal("Router-back-1.png", file.Name);
        Assert.Equal("image/png", file.ContentType);
        Assert.True(file.IsImage);
        Assert.Equal(png.Length, file.Size);
        Assert.Equal("![Router back 1](files/Router-back-1.png)", file.Markdown);
        Assert.Equal($"/api/v1/kb/articles/{article.Id}/files/Router-back-1.png", file.Url);
        // The same name again gets a suffix rather than replacing the first.
        var again = await (await ws.Owner.UploadAsync(article.Id, "Router back (1).png", png)).ReadAsync<KbFileResponse>();
        Assert.Equal("Router-back-1-2.png", again.Name);
        var listed = await (await ws.Owner.GetAsync($"/api/v1/kb/articles/{article.Id}/files")).ReadAsync<KbFileResponse[]>();
        Assert.Equal(["Router-back-1.png", "Router-back-1-2.png"], listed.Select(f => f.Name));

        var agent = await ws.Owner.GetAsync(file.Url);
        Assert.Equal(HttpStatusCode.OK, agent.StatusCode);
        Assert.Equal(png, await agent.Content.ReadAsByteArrayAsync());
        AssertSafe(agent, "image/png", "inline");

        // Markdown refers to it by name; the sanitizer keeps the address, which the help center makes public.
        var saved = await (await ws.Owner.PutAsJsonAsync($"/api/v1/kb/articles/{article.Id}/translations/en", new
        {
            title = "Resetting the router", markdown = "Hold the button.\n\n![The back of the router](files/Router-back-1.png)\n\n[Manual](files/manual.pdf)", publish = true,
        })).ReadAsync<KbArticleResponse>();
        var html = Assert.Single(saved.Translations).Html;
        Assert.Contains($"<img src=\"/api/v1/kb/articles/{article.Id}/files/Router-back-1.png\" alt=\"The back of the router\">", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/api/v1/kb/articles/{article.Id}/files/manual.pdf\">Manual</a>", html, StringComparison.Ordinal);
        var visitor = app.Visitor(host);
        var page = await visitor.GetStringAsync($"/help/en/articles/{article.Id}");
        Assert.Contains($"<img src=\"/help/files/{article.Id}/Router-back-1.png\" alt=\"The back of the router\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/v1/", page, StringComparison.Ordinal);

        var served = await visitor.GetAsync($"/help/files/{article.Id}/Router-back-1.png");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        AssertSafe(served, "image/png", "inline");
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/help/files/{article.Id}/missing.png")).StatusCode);

        // The orphan sweeper knows these blobs are in use.
        await app.Services.GetRequiredService<AttachmentSweeper>().SweepAsync(TimeSpan.FromSeconds(-5), default);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync($"/help/files/{article.Id}/Router-back-1.png")).StatusCode);

        // Deleting takes the row and the bytes.
        var key = await ws.DbAsync(db => db.KbFiles.Where(f => f.Name == "Router-back-1.png").Select(f => f.StorageKey).SingleAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.DeleteAsync(file.Url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/help/files/{article.Id}/Router-back-1.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.GetAsync(file.Url)).StatusCode);
        Assert.Null(await app.Services.GetRequiredService<IBlobStore>().OpenAsync(key, default));
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.DeleteAsync(file.Url)).StatusCode);

        // Deleting the article takes its files with it.
        Assert.Equal(HttpStatusCode.NoContent, (await ws.Owner.DeleteAsync($"/api/v1/kb/articles/{article.Id}")).StatusCode);
        Assert.Equal(0, await ws.DbAsync(db => db.KbFiles.CountAsync()));
    }

    [Fact]
    public async Task Documents_are_downloads_and_text_is_utf8()
    {
        var ws = await app.CreateWorkspaceAsync();
        var article = await ws.ArticleAsync("Forms", "See the attachments.");
        var pdf = "%PDF-1.4\n%fake but well started\n"u8.ToArray();
        var uploaded = await (await ws.Owner.UploadAsync(article.Id, "فرم ثبت‌نام.pdf", pdf, "application/x-whatever")).ReadAsync<KbFileResponse>();
        Assert.Equal("فرم-ثبت‌نام.pdf", uploaded.Name);
        Assert.Equal("application/pdf", uploaded.ContentType);
        Assert.False(uploaded.IsImage);
        Assert.Equal("[فرم-ثبت‌نام.pdf](files/فرم-ثبت‌نام.pdf)", uploaded.Markdown);
        var download = await ws.Owner.GetAsync(uploaded.Url);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        AssertSafe(download, "application/pdf", "attachment");
        // A Persian name in Markdown becomes a link the route reads back.
        var saved = await (await ws.Owner.PutAsJsonAsync($"/api/v1/kb/articles/{article.Id}/translations/en",
            new { title = "Forms", markdown = uploaded.Markdown, publish = true })).ReadAsync<KbArticleResponse>();
        var href = System.Text.RegularExpressions.Regex.Match(saved.Translations[0].Html, "href=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await ws.Owner.GetAsync(href)).StatusCode);

        var text = await (await ws.Owner.UploadAsync(article.Id, "notes.txt", "سلام"u8.ToArray(), "text/html")).ReadAsync<KbFileResponse>();
        Assert.Equal("text/plain", text.ContentType);
        var served = await ws.Owner.GetAsync(text.Url);
        Assert.Equal("text/plain; charset=utf-8", served.Content.Headers.ContentType?.ToString());
        AssertSafe(served, "text/plain", "attachment");
    }

    [Theory]
    [InlineData("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "SVG")]
    [InlineData("logo.SVG", "<svg/>", "SVG")]
    [InlineData("photo.png", "<svg onload=alert(1)>", "is not a PNG, JPEG, GIF or WebP image")]
    [InlineData("page.html", "<html><script>alert(1)</script></html>", "which a browser could run")]
    [InlineData("notes.txt", "<!DOCTYPE html><script>alert(1)</script>", "looks like HTML")]
    [InlineData("setup.exe", "MZ\u0090\u0000", "is not a type articles accept")]
    [InlineData("report.pdf", "not a pdf", "is not a PDF")]
    [InlineData("sheet.xlsx", "not a zip", "is not a .xlsx document")]
    public async Task Active_content_and_mislabelled_files_are_refused_naming_the_field(string name, string content, string says)
    {
        var ws = await app.CreateWorkspaceAsync();
        var article = await ws.ArticleAsync("Refusals", "Nothing to see.");
        var response = await ws.Owner.UploadAsync(article.Id, name, System.Text.Encoding.UTF8.GetBytes(content), "image/png");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Contains(says, problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await ws.DbAsync(db => db.KbFiles.CountAsync()));
    }

    [Fact]
    public async Task Size_count_and_shape_limits_are_problems_naming_the_field()
    {
        var ws = await app.CreateWorkspaceAsync();
        var article = await ws.ArticleAsync("Limits", "Nothing to see.");
        var url = $"/api/v1/kb/articles/{article.Id}/files";

        var big = new byte[KbFileTypes.MaxBytes + 1];
        KbTesting.Png().CopyTo(big, 0);
        await AssertFieldAsync(await ws.Owner.UploadAsync(article.Id, "huge.png", big), "file", "at most 10 MB");
        await AssertFieldAsync(await ws.Owner.UploadAsync(article.Id, "empty.png", []), "file", "is empty");
        await AssertFieldAsync(await ws.Owner.PostAsJsonAsync(url, new { file = "x" }), "file", "multipart/form-data");
        var noFile = new MultipartFormDataContent { { new StringContent("hello"), "other" } };
        await AssertFieldAsync(await ws.Owner.PostAsync(url, noFile), "file", "a multipart part named file");
        Assert.Equal(HttpStatusCode.NotFound, (await ws.Owner.UploadAsync(Guid.NewGuid(), "a.png", KbTesting.Png())).StatusCode);

        var png = KbTesting.Png();
        for (var i = 0; i < KbFileTypes.MaxPerArticle; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await ws.Owner.UploadAsync(article.Id, $"shot{i}.png", png)).StatusCode);
        }
        await AssertFieldAsync(await ws.Owner.UploadAsync(article.Id, "one-more.png", png), "file", "delete one first");

        // Light agents read articles but do not change them.
        var (light, _) = await ws.AddAgentAsync(Ateb.Features.Agents.Role.LightAgent);
        Assert.Equal(HttpStatusCode.Forbidden, (await light.UploadAsync(article.Id, "light.png", png)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await light.GetAsync($"{url}/shot0.png")).StatusCode);
    }

    [Fact]
    public async Task Files_of_drafts_internal_articles_and_other_workspaces_are_never_served_to_readers()
    {
        // Another workspace first, so acme is never the default help center's (the first set up) whatever the test order.
        var other = await app.CreateWorkspaceAsync();
        var acme = await app.CreateWorkspaceAsync();
        var acmeHost = await acme.SetHostAsync($"help-{Guid.NewGuid():N}.acme.test");
        var otherHost = await other.SetHostAsync($"help-{Guid.NewGuid():N}.other.test");
        var png = KbTesting.Png();
        var published = await acme.ArticleAsync("Public", "![x](files/shot.png)");
        var draft = await acme.ArticleAsync("Draft", "![x](files/shot.png)", publish: false);
        var internalOne = await acme.ArticleAsync("Internal", "![x](files/shot.png)", isInternal: true);
        foreach (var a in new[] { published, draft, internalOne })
        {
            Assert.Equal(HttpStatusCode.Created, (await acme.Owner.UploadAsync(a.Id, "shot.png", png)).StatusCode);
        }
        var reader = app.Visitor(acmeHost);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/help/files/{published.Id}/shot.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/help/files/{draft.Id}/shot.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/help/files/{internalOne.Id}/shot.png")).StatusCode);
        // Another workspace's help center does not serve acme's files, nor does the default one.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Visitor(otherHost).GetAsync($"/help/files/{published.Id}/shot.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Visitor().GetAsync($"/help/files/{published.Id}/shot.png")).StatusCode);
        // Agents of the other workspace cannot see, add or remove acme's files.
        Assert.Equal(HttpStatusCode.NotFound, (await other.Owner.GetAsync($"/api/v1/kb/articles/{published.Id}/files")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Owner.GetAsync($"/api/v1/kb/articles/{draft.Id}/files/shot.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Owner.UploadAsync(published.Id, "mine.png", png)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Owner.DeleteAsync($"/api/v1/kb/articles/{published.Id}/files/shot.png")).StatusCode);
        // Taken off the help center, its files go with it.
        (await acme.Owner.PutAsJsonAsync($"/api/v1/kb/articles/{published.Id}/translations/en",
            new { title = "Public", markdown = "![x](files/shot.png)", publish = false })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/help/files/{published.Id}/shot.png")).StatusCode);
        (await acme.Owner.PutAsJsonAsync($"/api/v1/kb/articles/{internalOne.Id}/translations/en",
            new { title = "Internal", markdown = "![x](files/shot.png)", publish = true })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/help/files/{internalOne.Id}/shot.png")).StatusCode);
    }

    [Theory]
    [InlineData("Screen shot (1).PNG", "Screen-shot-1.png")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\photo.JPEG", "photo.jpeg")]
    [InlineData("تصویر صفحه [۲].png", "تصویر-صفحه-۲.png")]
    [InlineData("llun y ffurflen (drafft).webp", "llun-y-ffurflen-drafft.webp")]
    [InlineData("a\u202Egnp.exe", "agnp.exe")]
    [InlineData("<>#?.png", "file.png")]
    [InlineData("", "attachment")]
    public void Names_are_safe_to_write_in_Markdown(string uploaded, string expected) => Assert.Equal(expected, KbFileTypes.MarkdownName(uploaded));

    [Fact]
    public void Only_files_links_of_the_article_are_rewritten()
    {
        var id = Guid.NewGuid();
        var html = KbFeature.Render("![a](files/a.png) ![b](https://example.com/b.png) [c](other/files/c.pdf) ![d](javascript:alert(1))", id);
        Assert.Contains($"src=\"/api/v1/kb/articles/{id}/files/a.png\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"https://example.com/b.png\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"other/files/c.pdf\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript", html, StringComparison.Ordinal);
        Assert.Contains($"src=\"/help/files/{id}/a.png\"", KbFiles.ForPublic(html, id), StringComparison.Ordinal);
    }

    private static void AssertSafe(HttpResponseMessage response, string type, string disposition)
    {
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("sandbox", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal(disposition, response.Content.Headers.ContentDisposition?.DispositionType);
    }

    private static async Task AssertFieldAsync(HttpResponseMessage response, string field, string says)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Contains(says, problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }
}
