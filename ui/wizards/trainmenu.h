#pragma once
// The explorer's Train menu: the New Zoo and Train SANE wizards, and the job centre dock where
// their jobs (and the Sample wizard's) run.
namespace wse {

class JobCentre;
class MainWindow;
class NewZooWizard;
class SampleWizard;
class TrainSaneWizard;

// Adds the menu and the (hidden until used) job centre; finished zoos open in the window.
void addTrainMenu(MainWindow &window);
// Opens the New Zoo wizard (window-modal, returns at once); on Finish its job starts in the job centre.
NewZooWizard *openNewZooWizard(MainWindow &window);
// Opens the Train SANE wizard on the open zoo; on Finish the training runs in the job centre and,
// when it ends, the zoo is embedded with the new encoder (SANE map).
TrainSaneWizard *openTrainSaneWizard(MainWindow &window);
// Opens the Sample Networks wizard on the open zoo, anchors from the map's selection or the
// filter; on Finish the job runs in the job centre and the networks appear on the SANE map.
SampleWizard *openSampleWizard(MainWindow &window);
JobCentre *jobCentre(MainWindow &window);

} // namespace wse
