//! Built-in traffic generators: TCP echo/upper server, UDP echo, UDP chat, clients.
