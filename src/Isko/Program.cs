using Isko.Cli;

return await CommandLineRoot.RunAsync(args);
