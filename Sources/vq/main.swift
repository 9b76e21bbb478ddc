import Glibc
import VQCLI

exit(CLI.run(CommandLine.arguments))
