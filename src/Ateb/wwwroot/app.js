// Ateb agent workspace helpers (keyboard shortcuts, focus).

// Date picker grids: arrows, Page Up/Down and Home/End move between days, so they must not scroll the page too; the grid
// handles Enter itself, so the day button's own click must not fire a second time.
{
    const dateGridKeys = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', 'Enter']);
    document.addEventListener('keydown', (event) => {
        if (dateGridKeys.has(event.key) && event.target instanceof Element && event.target.closest('[data-date-grid]')) {
            event.preventDefault();
        }
    });
}
