import LookKitCore

/// Run configs name the triplet distance; an unknown one fails when the config is read.
extension Loss.Distance: ConfigChoice {}
