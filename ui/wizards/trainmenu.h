#pragma once
// The explorer's Train menu: the New Zoo wizard, and the job centre dock where its jobs run.
namespace wse {

class JobCentre;
class MainWindow;
class NewZooWizard;

// Adds the menu and the (hidden until used) job centre; finished zoos open in the window.
void addTrainMenu(MainWindow &window);
// Opens the New Zoo wizard (window-modal, returns at once); on Finish its job starts in the job centre.
NewZooWizard *openNewZooWizard(MainWindow &window);
JobCentre *jobCentre(MainWindow &window);

} // namespace wse
