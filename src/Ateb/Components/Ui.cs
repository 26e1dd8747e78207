namespace Ateb.Components;

/// <summary>Marker for the agent workspace's strings: Resources/Components.Ui.{fa,ar,cy}.resx. English is the key.</summary>
public sealed class Ui;
