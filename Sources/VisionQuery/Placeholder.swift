// VisionQuery placeholder
