using System.Collections.Frozen;

namespace Ateb.Infrastructure.Search;

/// <summary>
/// Our own short, hand-picked lists of function words, dropped from queries (documents keep them, so a query made only of
/// them still finds something). Written as people spell them and folded once, so they compare with folded words. Welsh lists
/// mutated forms too (fod, ddim, chyda). Left out on purpose: negations and prefixes that change meaning (not, no, نه, نمی,
/// می, بی) and anything a support question is about.
/// </summary>
internal static class Stopwords
{
    public static readonly FrozenSet<string> English = Folded(
        "a about after again all also am an and any are as at be because been before being between both but by can could did do "
        + "does doing down each for from had has have having he her here hers him his how i if in into is it its itself just me more "
        + "most my of off on once only or other our ours out over own same she should so some such than that the their theirs them "
        + "then there these they this those through to too under until up very was we were what when where which while who whom "
        + "why will with would you your yours s t d ll re ve m");

    public static readonly FrozenSet<string> Welsh = Folded(
        "y yr r n a ac ag â ai am ar at i o yn yng ym mewn gan gyda chyda efo wrth heb hyd dros drwy trwy rhwng tan dan tua ger fel "
        + "er ers cyn erbyn ystod mwyn gyfer ôl fewn allan ond neu na nac nad nid ni os pan mai bod fod mod achos oherwydd felly "
        + "hefyd ei eu ein eich fy dy m th w fi mi ti di e fe ef hi chi nhw hwy hwn hon hyn hynny honno hwnnw yma yna acw un pob bob "
        + "rhai unrhyw llawer mwy fwy arall eraill mae maen oes sydd sy yw ydy ydw ydyn ydych ydym ydi roedd oedd rwy rwyf rydw "
        + "rydym dw dwi rydych rydyn bydd fydd byddai fyddai bu fu bo fo wedi dim ddim cael gael chael gall gallu rhaid iawn beth "
        + "pwy ble sut pam pryd");

    public static readonly FrozenSet<string> Persian = Folded(
        "و در به از که این آن را با است هست برای تا یا هم نیز اما ولی اگر چه هر بر پس یک ها های هایی ای شد شده شود بود بوده باشد "
        + "خواهد دارد داشت می‌شود می‌شد می‌شده می‌باشد شده‌است او ما شما من تو آنها ایشان خود همه چون زیرا روی");

    public static readonly FrozenSet<string> Arabic = Folded(
        "في من إلى على عن مع هذا هذه ذلك تلك التي الذي الذين كان كانت يكون ما ماذا لا لم لن قد ثم أو أن إن و هو هي هم نحن أنا "
        + "أنت كل بعد قبل عند حتى إذا لقد أيضا كما منذ ليس غير عليه فيه فيها به بها له لها وقد ولا وهو وهي وفي أي");

    /// <summary>
    /// Every list's words together: the words PostgreSQL search pairs up (see PostgresSearchEngine.CommonPairs), whatever
    /// the document's language. Changing any list changes which pairs a stored vector holds: it needs a migration that adds
    /// the new pairs to stored vectors, as SearchCommonPairs did.
    /// </summary>
    public static readonly FrozenSet<string> AnyLanguage = English.Concat(Welsh).Concat(Persian).Concat(Arabic).ToFrozenSet(StringComparer.Ordinal);

    public static FrozenSet<string> For(Lang language) => language switch
    {
        Lang.Persian => Persian,
        Lang.Arabic => Arabic,
        Lang.Welsh => Welsh,
        _ => English,
    };

    /// <summary>Each word as the tokenizer sees it: folded, a ZWNJ word by its joined text.</summary>
    private static FrozenSet<string> Folded(string words) =>
        Tokenizer.Words(words).Select(w => w.Text).ToFrozenSet(StringComparer.Ordinal);
}
