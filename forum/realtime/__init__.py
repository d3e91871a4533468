"""Real-time: Socket.IO connection rules, room subscriptions and publishing after commit."""
