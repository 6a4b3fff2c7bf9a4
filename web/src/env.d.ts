// Types of Vite's module kinds the app imports (`?raw` text).
/// <reference types="vite/client" />
