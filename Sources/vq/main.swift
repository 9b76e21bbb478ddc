import VQCLI
import Foundation
exit(CLI.run(CommandLine.arguments))
