// Imaging placeholder
