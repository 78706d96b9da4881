// Stylesheets are Vite's business; Jest imports them as empty modules.
module.exports = {};
