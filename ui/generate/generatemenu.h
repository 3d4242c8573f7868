#pragma once
// The explorer's Generate menu: sample networks around the matching checkpoints, decode the
// selected one, export a generated network as a PyTorch checkpoint.
namespace wse {

class MainWindow;

void addGenerateMenu(MainWindow &window);

} // namespace wse
