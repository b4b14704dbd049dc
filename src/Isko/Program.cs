using Isko.Cli;
using Isko.Hosting;

StartupTimes.Begin();
return await CommandLineRoot.RunAsync(args);
