using Ateb.Components.Session;
using Ateb.Features.Tickets;
using Ateb.Features.Tickets.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Ateb.Tests.Components;

/// <summary>The inbox's filters round-trip through the address bar and mean what the API means; handler results unwrap for pages.</summary>
public sealed class InboxFilterValuesTests
{
    [Theory]
    [InlineData("status=new%2Copen&assignee=me&tag=vip", "/?status=new%2Copen&assignee=me&tag=vip")]
    [InlineData("q=%DA%A9%D8%B3%D8%A8%E2%80%8C%D9%88%DA%A9%D8%A7%D8%B1&sort=updated", "/?q=%DA%A9%D8%B3%D8%A8%E2%80%8C%D9%88%DA%A9%D8%A7%D8%B1&sort=updated")]
    [InlineData("", "/?view=unsolved")]
    public void Filters_round_trip_through_the_address(string query, string url)
    {
        var values = InboxFilterValues.Parse(QueryHelpers.ParseQuery(query));
        Assert.Equal(url, values.ToUrl());
        Assert.Equal(values.ToUrl(), InboxFilterValues.Parse(QueryHelpers.ParseQuery(new Uri("http://x" + url).Query)).ToUrl());
    }

    [Fact]
    public void The_list_query_carries_every_filter_and_the_sort()
    {
        var team = Guid.NewGuid();
        var values = InboxFilterValues.Parse(QueryHelpers.ParseQuery($"status=pending&priority=urgent&channel=email&assignee=none&team={team}&tag=x&q=refund&sort=oldest"));
        var query = values.ToQuery("o.12");
        Assert.Equal(("pending", "urgent", "email", "none", team, "x", "refund", "oldest", "o.12"),
            (query.Status, query.Priority, query.Channel, query.Assignee, query.Team, query.Tag, query.Q, query.Sort, query.Cursor));
        var saved = InboxFilterValues.From(query.ToFilters(), TicketSort.Oldest);
        Assert.Equal(values.ToUrl(), saved.ToUrl());
    }

    [Fact]
    public void A_copy_is_independent()
    {
        var values = new InboxFilterValues { Tag = "a" };
        var copy = values.Copy();
        copy.Tag = "b";
        Assert.Equal("a", values.Tag);
    }

    [Fact]
    public void A_problem_unwraps_to_its_field_errors_and_a_value_to_itself()
    {
        var problem = Outcomes.From<string>(TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["subject"] = ["must not be empty."] }) { Status = 422 }));
        Assert.False(problem.Ok);
        Assert.Equal(["must not be empty."], problem.FieldErrors["subject"]);
        var ok = Outcomes.From<string>(TypedResults.Ok("fine"));
        Assert.True(ok.Ok);
        Assert.Equal("fine", ok.Value);
        Assert.True(Outcomes.From<object>(TypedResults.NoContent()).Ok);
        Assert.False(Outcomes.From<string>(TypedResults.NotFound()).Ok);
    }
}
