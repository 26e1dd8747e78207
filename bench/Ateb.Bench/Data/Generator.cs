using Ateb.Features.Agents;
using Ateb.Features.Customers;
using Ateb.Features.Teams;
using Ateb.Features.Tickets;
using Ateb.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Ateb.Bench.Data;

/// <summary>
/// A deterministic help desk: same seed, same data (ids included). Status mix of a mature desk (most tickets
/// closed), messages in four languages with a power-law vocabulary, a handful of 50-message tickets for the
/// detail workload. Small rows go through EF; the bulk through BulkWriter.
/// </summary>
internal sealed class Generator(Func<AtebDb> openDb, int seed)
{
    public const int DetailTickets = 10;
    public const int DetailMessages = 50;

    private static readonly (TicketStatus Status, double Share)[] StatusMix =
        [(TicketStatus.New, 0.02), (TicketStatus.Open, 0.06), (TicketStatus.Pending, 0.03), (TicketStatus.OnHold, 0.01), (TicketStatus.Solved, 0.08), (TicketStatus.Closed, 0.80)];
    private static readonly (Channel Channel, double Share)[] ChannelMix =
        [(Channel.Email, 0.5), (Channel.Chat, 0.2), (Channel.WhatsApp, 0.12), (Channel.Phone, 0.08), (Channel.WebForm, 0.06), (Channel.Api, 0.04)];
    private static readonly string[] Tags = [.. Enumerable.Range(0, 30).Select(i => $"tag{i}")];

    private readonly Vocabulary _vocabulary = new(seed: seed);

    /// <param name="messagesPerTicket">Messages per ticket (inclusive range); 1 to 3 by default.</param>
    public async Task<GeneratedWorkspace> FillAsync(Guid workspaceId, Guid ownerMembershipId, int tickets, Action<string> progress, (int Min, int Max)? messagesPerTicket = null)
    {
        var random = new Random(seed ^ workspaceId.GetHashCode());
        var start = new DateTimeOffset(2024, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var span = TimeSpan.FromDays(730);
        var (agents, teams) = await PeopleAsync(workspaceId, ownerMembershipId, random, start);
        var customers = Math.Max(10, tickets / 4);
        var customerIds = new Guid[customers];
        var languages = new string[customers];
        await using (var db = openDb())
        {
            var bulk = new BulkWriter(db);
            var people = new List<Customer>(customers);
            var identities = new List<CustomerIdentity>(customers * 2);
            for (var i = 0; i < customers; i++)
            {
                var created = start + span * (i / (double)customers);
                languages[i] = Vocabulary.Languages[random.Next(10) switch { < 5 => 0, < 7 => 1, < 9 => 2, _ => 3 }];
                var customer = new Customer { Id = SeededGuid(created, random), WorkspaceId = workspaceId, Name = $"Customer {i}", Language = languages[i], CreatedAt = created };
                customer.UpdatedAt = created;
                customerIds[i] = customer.Id;
                people.Add(customer);
                identities.Add(new CustomerIdentity { Id = SeededGuid(created, random), WorkspaceId = workspaceId, CustomerId = customer.Id, Kind = IdentityKind.Email, Value = $"customer{i}@example.com", Normalized = $"customer{i}@example.com", CreatedAt = created });
                if (random.NextDouble() < 0.3)
                {
                    var phone = $"+4479{i:D8}";
                    identities.Add(new CustomerIdentity { Id = SeededGuid(created, random), WorkspaceId = workspaceId, CustomerId = customer.Id, Kind = IdentityKind.Phone, Value = phone, Normalized = phone, CreatedAt = created });
                }
            }
            await bulk.WriteAsync(people);
            await bulk.WriteAsync(identities);
        }
        progress($"{customers} customers");
        var (fewest, most) = messagesPerTicket ?? (1, 3);
        // About 100,000 messages a transaction.
        var chunk = messagesPerTicket is null ? 50_000 : Math.Max(1_000, 200_000 / (fewest + most));
        for (var from = 0; from < tickets; from += chunk)
        {
            var batch = new List<Ticket>(chunk);
            var tags = new List<TicketTag>();
            var messages = new List<Message>(chunk * 2);
            for (var n = from; n < Math.Min(tickets, from + chunk); n++)
            {
                var created = start + span * (n / (double)tickets);
                var c = random.Next(customers);
                var language = languages[c];
                var ticket = new Ticket
                {
                    Id = SeededGuid(created, random), WorkspaceId = workspaceId, Number = n + 1, Subject = _vocabulary.Sentence(language, random, 3, 8),
                    Channel = Pick(ChannelMix, random), RequesterId = customerIds[c], CreatedAt = created,
                    Priority = random.Next(20) switch { 0 => TicketPriority.Urgent, < 4 => TicketPriority.High, < 17 => TicketPriority.Normal, _ => TicketPriority.Low },
                    TeamId = random.NextDouble() < 0.6 ? teams[random.Next(teams.Length)] : null,
                };
                ticket.Touch(created);
                var status = n < DetailTickets ? TicketStatus.Open : Pick(StatusMix, random);
                var count = n < DetailTickets ? DetailMessages : random.Next(fewest, most + 1);
                var at = created;
                for (var m = 0; m < count; m++)
                {
                    var fromAgent = m % 2 == 1;
                    var agent = agents[random.Next(agents.Length)];
                    messages.Add(new Message
                    {
                        Id = SeededGuid(at, random), WorkspaceId = workspaceId, TicketId = ticket.Id, Channel = ticket.Channel, CreatedAt = at,
                        AuthorKind = fromAgent ? AuthorKind.Agent : AuthorKind.Customer, AuthorAgentId = fromAgent ? agent : null,
                        AuthorCustomerId = fromAgent ? null : ticket.RequesterId, Direction = fromAgent ? Direction.Outbound : Direction.Inbound,
                        BodyText = _vocabulary.Sentence(language, random, 15, 60),
                        ExternalId = ticket.Channel == Channel.Email && !fromAgent ? $"<{ticket.Id:N}.{m}@mail.example.com>" : null,
                    });
                    if (fromAgent)
                    {
                        ticket.RecordPublicAgentReply(at);
                    }
                    at += TimeSpan.FromMinutes(random.Next(5, 600));
                }
                if (status != TicketStatus.New)
                {
                    ticket.AssigneeId = random.NextDouble() < 0.85 ? agents[random.Next(agents.Length)] : null;
                    MoveTo(ticket, status, at);
                }
                batch.Add(ticket);
                foreach (var tag in Tags.OrderBy(_ => random.Next()).Take(random.Next(0, 3)))
                {
                    tags.Add(new TicketTag { TicketId = ticket.Id, Tag = tag, WorkspaceId = workspaceId });
                }
            }
            await using var db = openDb();
            var bulk = new BulkWriter(db);
            await bulk.WriteAsync(batch);
            await bulk.WriteAsync(tags);
            await bulk.WriteAsync(messages);
            progress($"{Math.Min(tickets, from + chunk)} tickets");
        }
        await using (var db = openDb())
        {
            await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.LastTicketNumber, tickets));
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
        }
        return new GeneratedWorkspace(workspaceId, tickets, agents, teams);
    }

    private async Task<(Guid[] Agents, Guid[] Teams)> PeopleAsync(Guid workspaceId, Guid owner, Random random, DateTimeOffset at)
    {
        await using var db = openDb();
        db.Scope.Enter(workspaceId);
        var agents = new List<Guid> { owner };
        for (var i = 0; i < 49; i++)
        {
            var email = $"agent{i}.{workspaceId:N}@bench.test";
            var account = new AgentAccount { Id = SeededGuid(at, random), Email = email, UserName = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant(), DisplayName = $"Agent {i}", SecurityStamp = Guid.NewGuid().ToString(), CreatedAt = at };
            db.Users.Add(account);
            var membership = new Membership { Id = SeededGuid(at, random), AccountId = account.Id, Role = i < 40 ? Role.Agent : Role.LightAgent, CreatedAt = at };
            db.Memberships.Add(membership);
            if (membership.Role == Role.Agent)
            {
                agents.Add(membership.Id);
            }
        }
        var teams = new[] { "Billing", "Technical", "Shipping", "پشتیبانی", "Cymorth" }.Select(name => new Team { Id = SeededGuid(at, random), Name = name, CreatedAt = at }).ToArray();
        db.Teams.AddRange(teams);
        await db.SaveChangesAsync();
        db.TeamMembers.AddRange(agents.Select((a, i) => new TeamMember { TeamId = teams[i % teams.Length].Id, MembershipId = a }));
        await db.SaveChangesAsync();
        return ([.. agents], [.. teams.Select(t => t.Id)]);
    }

    private static void MoveTo(Ticket ticket, TicketStatus status, DateTimeOffset at)
    {
        if (status == TicketStatus.Closed)
        {
            ticket.MoveTo(TicketStatus.Solved, at);
        }
        ticket.MoveTo(status, at + TimeSpan.FromHours(1));
    }

    private static T Pick<T>((T Value, double Share)[] mix, Random random)
    {
        var roll = random.NextDouble();
        foreach (var (value, share) in mix)
        {
            if ((roll -= share) < 0)
            {
                return value;
            }
        }
        return mix[^1].Value;
    }

    /// <summary>A version-7 GUID whose time part is <paramref name="at"/> and whose random part comes from the seed.</summary>
    public static Guid SeededGuid(DateTimeOffset at, Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var ms = at.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}

internal sealed record GeneratedWorkspace(Guid WorkspaceId, int Tickets, Guid[] Agents, Guid[] Teams);
