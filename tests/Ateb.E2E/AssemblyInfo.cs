// One Ateb and one Chromium for the whole run (each takes seconds to start); tests run one at a time, so on a
// two-core machine a slow page is the page, not a neighbour.
[assembly: AssemblyFixture(typeof(AtebServerFixture))]
[assembly: AssemblyFixture(typeof(BrowserFixture))]
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
