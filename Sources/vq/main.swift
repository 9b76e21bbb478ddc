import Foundation
import VQCLI

exit(CLI.run(CommandLine.arguments))
