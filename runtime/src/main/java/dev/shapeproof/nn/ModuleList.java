package dev.shapeproof.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * PyTorch's {@code nn.ModuleList}: modules held by index ({@code convs.0}, {@code convs.1}) for a forward that
 * iterates over them. It is not called itself.
 */
public class ModuleList extends NnModule implements Iterable<NnModule> {
    /** For a block that extends it: the generated subclass registers the items. */
    protected ModuleList() {}

    /** A list called {@code name} holding {@code items}, named {@code name.0}, {@code name.1}, … */
    public ModuleList(String name, NnModule... items) {
        initModule(name, items);
    }

    @Override
    public String pytorchType() {
        return "ModuleList";
    }

    /** The item at {@code index}. */
    public final NnModule get(int index) {
        return items().get(index);
    }

    public final int size() {
        return children().size();
    }

    /** The items in order. */
    public final List<NnModule> items() {
        return new ArrayList<>(children().values());
    }

    @Override
    public final Iterator<NnModule> iterator() {
        return items().iterator();
    }
}
