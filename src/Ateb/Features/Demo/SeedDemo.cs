using Ateb.Features.Agents;
using Ateb.Features.CannedResponses;
using Ateb.Features.Customers;
using Ateb.Features.Tickets;
using Ateb.Features.Workspaces;
using Ateb.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Features.Demo;

/// <summary>
/// A demo workspace in English, Persian, Arabic and Welsh, built through the same handlers the API uses.
/// Idempotent: a second run finds the workspace and adds nothing.
/// </summary>
internal sealed class SeedDemo(AtebDb db, WorkspaceScope scope, SetupWorkspace setup, UserManager<AgentAccount> users,
    ReceiveMessage inbound, AddMessage reply, CreateCannedResponse responses, TimeProvider clock)
{
    public const string OwnerEmail = "owner@demo.ateb.test";
    public const string Password = "ateb-demo-2026";

    private static readonly (string Email, string Name, string Language, Role Role)[] Agents =
    [
        ("sara@demo.ateb.test", "سارا احمدی", "fa", Role.Agent),
        ("layla@demo.ateb.test", "ليلى حداد", "ar", Role.Agent),
        ("gwen@demo.ateb.test", "Gwenllian Jones", "cy", Role.Agent),
        ("sam@demo.ateb.test", "Sam Carter", "en", Role.LightAgent),
    ];

    private static readonly (string Email, string Name, string Language, string Subject, string Body, string? Reply)[] Conversations =
    [
        ("maryam.karimi@example.ir", "مریم کریمی", "fa", "سفارش من هنوز نرسیده است", "سلام، سفارش شماره ۱۲۴۵ را دو هفته پیش ثبت کردم ولی هنوز به دستم نرسیده. لطفاً پیگیری کنید.", "سلام مریم جان، سفارش شما امروز ارسال شد و کد رهگیری برایتان پیامک می‌شود."),
        ("reza.m@example.ir", "رضا محمدی", "fa", "مشکل در ورود به حساب کاربری", "نمی‌توانم وارد حساب کاربری‌ام شوم و رمز عبور جدید هم نمی‌رسد.", null),
        ("omar.k@example.sa", "عمر خالد", "ar", "استرداد المبلغ", "مرحباً، أرغب في استرداد المبلغ لطلبي رقم ٣٣٢١ لأن المنتج وصل تالفاً.", "أهلاً عمر، نأسف لذلك. تمت الموافقة على الاسترداد وسيظهر المبلغ خلال ٥ أيام عمل."),
        ("fatima@example.ae", "فاطمة الزهراء", "ar", "سؤال عن الفاتورة", "هل يمكنني الحصول على فاتورة ضريبية باسم شركتي؟", null),
        ("rhys@example.cymru", "Rhys ap Gruffydd", "cy", "Problem gyda fy nghyfrif", "Helo, dw i wedi anghofio fy nghyfrinair ac nid yw'r e-bost ailosod wedi cyrraedd.", "Shwmae Rhys, dw i wedi anfon dolen newydd atat ti. Rho wybod os oes problem."),
        ("ffion@example.cymru", "Ffion Williams", "cy", "Cwestiwn am y gwasanaeth", "Ydy'r gwasanaeth ar gael yn Gymraeg i'n cwsmeriaid?", null),
        ("alex@example.com", "Alex Morgan", "en", "Invoice shows the wrong VAT number", "Hi, our last invoice has the old VAT number. Could you reissue it?", "Hi Alex, I've reissued the invoice with the new VAT number; it's attached to your account."),
        ("priya@example.co.uk", "Priya Shah", "en", "Can't export reports to CSV", "The export button spins forever on the reports page. Chrome 130, Windows 11.", null),
    ];

    private static readonly CreateCannedResponseRequest[] Responses =
    [
        new("Refund on its way", "refund",
            "Hi {{customer.first_name | there}}, good news: your refund for ticket #{{ticket.number}} is on its way and should reach you within 5 working days. {{agent.first_name}}",
            "Dear {{customer.name}}, we confirm that the refund for request #{{ticket.number}} has been issued and will reach you within 5 working days. Kind regards, {{agent.name}}, {{workspace.name}}", "en"),
        new("بازنشانی رمز عبور", "reset-fa",
            "سلام {{customer.first_name}} عزیز، از صفحهٔ ورود روی «فراموشی رمز» بزنید؛ پیوند بازنشانی تا چند دقیقهٔ دیگر می‌رسد. {{agent.first_name}}",
            "{{customer.name}} گرامی، لطفاً از صفحهٔ ورود گزینهٔ «فراموشی رمز» را انتخاب فرمایید. با احترام، {{agent.name}}", "fa"),
        new("Diolch am gysylltu", "diolch",
            "Helo {{customer.first_name}}, diolch am gysylltu! Byddwn ni'n ateb cyn bo hir. {{agent.first_name}}",
            "Annwyl {{customer.name}}, diolch am eich neges ynglŷn â chais #{{ticket.number}}. Yn gywir, {{agent.name}}", "cy"),
    ];

    public async Task<SetupWorkspaceResult> HandleAsync(CancellationToken ct)
    {
        var (owner, errors) = await setup.HandleAsync(new SetupWorkspaceRequest("Demo", OwnerEmail, Password, "Demo Owner"), ct);
        if (owner is null)
        {
            throw new InvalidOperationException("Demo setup failed: " + errors);
        }
        scope.Enter(owner.WorkspaceId);
        if (await db.Tickets.AnyAsync(ct))
        {
            return owner;
        }
        var agents = new List<Actor> { new(owner.OwnerAccountId, owner.OwnerAgentId, owner.WorkspaceId, Role.Owner, "Demo Owner") };
        foreach (var (email, name, language, role) in Agents)
        {
            var account = await users.FindByEmailAsync(email);
            if (account is null)
            {
                account = new AgentAccount { Email = email, UserName = email, DisplayName = name, Language = language, CreatedAt = clock.GetUtcNow() };
                await users.CreateAsync(account, Password);
            }
            var membership = new Membership { AccountId = account.Id, Role = role, CreatedAt = clock.GetUtcNow() };
            db.Memberships.Add(membership);
            agents.Add(new Actor(account.Id, membership.Id, owner.WorkspaceId, role, name));
        }
        await db.SaveChangesAsync(ct);
        for (var i = 0; i < Conversations.Length; i++)
        {
            var c = Conversations[i];
            var received = await inbound.HandleAsync(new IncomingMessage(Channel.Email, $"<demo-{i}@demo.ateb.test>",
                new IdentityInput(IdentityKind.Email, c.Email), c.Name, c.Subject, c.Body, null, Threading.NewTicket, Language: c.Language), c.Email, ct);
            db.ChangeTracker.Clear();
            if (c.Reply is not null)
            {
                var agent = agents[(i / 2) switch { 0 => 1, 1 => 2, 2 => 3, _ => 0 }];
                await reply.HandleAsync(received.TicketId, new AddMessageRequest(c.Reply, null, true, i % 4 == 0 ? TicketStatus.Solved : TicketStatus.Pending, null), agent, ct);
                db.ChangeTracker.Clear();
            }
        }
        foreach (var response in Responses)
        {
            await responses.HandleAsync(response, agents[0], ct);
        }
        return owner;
    }
}
