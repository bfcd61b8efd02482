using LiveClassroom.Recording.Benchmarks;

// Class end → playable in the library, for a synthetic 45-minute recording. See docs/BENCHMARKS.md, "Recording".
return await ClassEndToPlayable.RunAsync(args);
