// Placeholder until the generated-images helper lands (being written now).
