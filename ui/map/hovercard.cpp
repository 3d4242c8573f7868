#include "map/hovercard.h"

#include "zoo/zoo.h"

namespace wse {

QString hoverCard(const Zoo &zoo, int64_t checkpoint)
{
    QString card = QStringLiteral("<b>%1</b> · epoch %2")
                       .arg(QString::fromStdString(zoo.checkpointValue(checkpoint, zoocol::ModelId)),
                            QString::fromStdString(zoo.checkpointValue(checkpoint, zoocol::Epoch)));
    for (const char *name : {"test_acc", "init", "activation", "optimizer", "dataset"}) {
        const std::string value = zoo.checkpointValue(checkpoint, name);
        if (!value.empty())
            card += QStringLiteral("<br>%1: %2").arg(name, QString::fromStdString(value));
    }
    return card;
}

} // namespace wse
