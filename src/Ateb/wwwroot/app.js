// Ateb agent workspace helpers (keyboard shortcuts, focus).
