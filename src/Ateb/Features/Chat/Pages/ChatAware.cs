using Microsoft.AspNetCore.Components;

namespace Ateb.Features.Chat.Pages;

/// <summary>A component that shows something of <see cref="AgentChats"/> and renders again whenever it changes.</summary>
public abstract class ChatAware : ComponentBase, IDisposable
{
    [Inject] internal AgentChats Chats { get; set; } = default!;

    protected override void OnInitialized() => Chats.Changed += OnChatsChanged;

    private void OnChatsChanged() => _ = InvokeAsync(() =>
    {
        ChatsChanged();
        StateHasChanged();
    });

    /// <summary>Runs on the renderer's thread before the re-render that follows a change.</summary>
    protected virtual void ChatsChanged()
    {
    }

    public virtual void Dispose()
    {
        Chats.Changed -= OnChatsChanged;
        GC.SuppressFinalize(this);
    }
}
