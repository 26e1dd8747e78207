global using Ateb.E2E.Testing;
global using Ateb.Tests.Testing;
global using Microsoft.Playwright;
global using static Microsoft.Playwright.Assertions;
